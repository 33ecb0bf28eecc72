"""plan182 (issue 8): "Replace the word cat with dog in notes.txt" planned translate_text (found by "word"), which
changes nothing asked and said nothing of it. Words put in others' place are done only by a tool saying it changes or
replaces: with none, the step is missing. A file replaced whole is still written over."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize(
    "task",
    [
        "Replace the word cat with dog in notes.txt",
        "Swap 'a' for 'b' in notes.txt",
        "Read notes.txt, then replace every 'cat' with 'dog' in it",
        "Substitute 'dog' for 'cat' in notes.txt",
    ],
)
async def test_words_replaced_are_done_by_no_tool_that_does_other_work(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.missing, result.execution
    plan = result.execution.plan
    assert plan is None or {n.tool for n in plan.nodes} <= {"read_file"}, plan


async def test_a_picture_edited_by_replacing_is_still_the_editors() -> None:
    result = await plan_task("Replace the background of photo.jpg with a beach", as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None and [n.tool for n in result.execution.plan.nodes] == ["edit_image"]


async def test_a_file_replaced_whole_is_still_written_over() -> None:
    result = await plan_task("Replace notes.txt with 'hello'", as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None
    assert [(n.tool, n.args) for n in result.execution.plan.nodes] == [
        ("write_file", {"path": "notes.txt", "content": "hello"})
    ]
