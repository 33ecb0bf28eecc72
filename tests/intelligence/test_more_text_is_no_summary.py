"""Work that makes more of a text is not done by a tool that makes less of it, nor the other way round (plan262):
"Summarize notes.txt, then draw out more content from the summary" ranked the summariser first for the elaboration
and folded it into the summary as the same work said again, so the request lost a step and said nothing of it. With
no tool that elaborates the step is missing; with one saying so (a text generator) it is that tool's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orchestra.analysis import analyse_heuristic
from orchestra.registry import ToolRegistry, default_registry
from tests.intelligence.reading import tools_chosen


def _with_a_generator(folder: Path) -> ToolRegistry:
    """The media catalogue's summariser beside a text generator, each saying its work in its own words."""
    tools = [
        ("summarize_text", "Produce a shorter version of a document that keeps its key points."),
        ("generate_text", "Expand or continue a text with new content."),
    ]
    document = {
        "version": 1,
        "tools": [
            {"name": name, "kind": "http", "description": said, "input_types": ["text"], "output_types": ["text"],
             "method": "POST", "url": f"https://m.example.com/{name}", "json": {"text": "{{ text }}"},
             "inputs": {"text": {"type": "string"}}}
            for name, said in tools
        ],
    }  # fmt: skip
    path = folder / "tools.json"
    path.write_text(json.dumps(document))
    return default_registry([path])


@pytest.mark.parametrize(
    "task",
    [
        "Summarize notes.txt, then draw out more content from the summary.",
        "Summarize notes.txt, then elaborate on the summary.",
        "Summarize notes.txt and then flesh out the summary.",
    ],
)
def test_an_elaboration_after_a_summary_is_no_summary(task: str) -> None:
    chosen = tools_chosen(task)
    assert chosen[-2:] == ["summarize_text", "-"], chosen


def test_an_elaboration_is_a_generators(tmp_path: Path) -> None:
    registry = _with_a_generator(tmp_path)
    steps = analyse_heuristic("Summarize notes.txt, then expand the summary.", registry).steps
    assert [s.candidates[:1] for s in steps[-2:]] == [["summarize_text"], ["generate_text"]]


@pytest.mark.parametrize("task", ["Summarize notes.txt.", "Condense notes.txt.", "Shorten the text in notes.txt."])
def test_a_summary_is_still_a_summarisers(task: str) -> None:
    assert tools_chosen(task)[-1] == "summarize_text"
