"""attack186 (issue 8): plan182's rule that a send to a person or a web search is done only by a tool saying so read
too few words: a catalogue's "Deliver a note to a recipient's inbox" was refused for "Deliver notes.txt to
bob@example.com", and "Query Bing for web pages" for "Search the web for python tutorials" (both: missing, "says
nothing of ..."). Such a tool serves; a file lister saying "search" still does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans

CATALOGUE = """version: 1
tools:
  - {name: deliver_note, kind: http, description: Deliver a note to a recipient's inbox., input_types: [text],
     output_types: [text], method: POST, url: "https://d.example.com/n", json: {to: "{{ to }}", body: "{{ body }}"},
     inputs: {to: {type: string}, body: {type: string}}, side_effects: true}
  - {name: bing, kind: http, description: Query Bing for web pages and return the top results., input_types: [text],
     output_types: [json], method: GET, url: "https://b.example.com/q?q={{ q }}", inputs: {q: {type: string}}}
"""


@pytest.mark.parametrize(
    ("task", "tool"),
    [("Deliver notes.txt to bob@example.com", "deliver_note"), ("Search the web for python tutorials", "bing")],
)
async def test_a_tool_saying_the_verb_in_other_words_serves(task: str, tool: str, tmp_path: Path) -> None:
    catalogue = tmp_path / "tools.yaml"
    catalogue.write_text(CATALOGUE)
    result = await plan_task(task, as_the_cli_plans(catalogue))
    assert not result.execution.missing, result.execution.missing
    plan = result.execution.plan
    assert plan is not None and tool in {n.tool for n in plan.nodes}


async def test_a_file_lister_still_does_no_web_search() -> None:
    result = await plan_task("Search the web for python tutorials", as_the_cli_plans())
    assert result.execution.missing and result.execution.plan is None
