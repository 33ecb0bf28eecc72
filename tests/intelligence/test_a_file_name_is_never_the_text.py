"""attack261 (issue 11): "Should I summarize notes.txt?" planned summarize_text given the words "notes.txt" as the
text to summarise (no reader is planned for a question's step): a file's or a page's name taken as its text, the
call worked on eleven characters and reported it as the file's summary. The text is asked for instead."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize(
    "task", ["Should I summarize notes.txt?", "Can I summarize notes.txt?", "Shall I translate notes.txt?"]
)
async def test_a_file_name_is_not_given_as_text(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    nodes = result.execution.plan.nodes if result.execution.plan is not None else []
    named = [(n.tool, n.args) for n in nodes if n.tool != "read_file" and "notes.txt" in n.args.values()]
    assert not named, named


async def test_a_file_named_is_read_before_its_text_is_worked_on() -> None:
    result = await plan_task("Summarize notes.txt", as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None
    assert [(n.tool, n.args) for n in result.execution.plan.nodes] == [
        ("read_file", {"path": "notes.txt"}),
        ("summarize_text", {"text": "${read.output.content}"}),
    ]
