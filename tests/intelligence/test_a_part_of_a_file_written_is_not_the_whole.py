"""plan344 (issue 11): "Write the first line of a.txt to b.txt", "Copy the last 10 lines of a.txt to b.txt", "Write the
numbers in a.txt to b.txt" copied the whole of a.txt to b.txt without a word. No call takes the part alone from what a
reader gives: what the write is given is asked, with why, and where it goes stays as said. A file written whole, or
what a tool made of it, is written as before."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize(
    "task",
    [
        "Write the first line of a.txt to b.txt",
        "Copy the last 10 lines of a.txt to b.txt",
        "Write the numbers in a.txt to b.txt",
        "Save the email addresses in a.txt to b.txt",
        "Save the first paragraph of a.txt to b.txt",
        "Write the top 5 rows of a.txt to b.txt",
        "Copy lines 3-5 of a.txt to b.txt",
        "Write the urls in a.txt to b.txt",
        "Copy the opening sentence of a.txt to b.txt",
        "Write the lines that start with x in a.txt to b.txt",
        "Save the names from a.txt to b.txt",
    ],
)
async def test_a_part_written_is_asked_never_the_whole(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    plan = result.execution.plan
    assert plan is not None, result.execution.problems
    writes = [n for n in plan.nodes if n.tool == "write_file"]
    assert writes, plan.nodes
    for write in writes:
        assert "${read" not in str(write.args.get("content")), write.args  # the whole file read is not written
        assert write.args.get("path") == "b.txt", write.args  # where it goes was said: not asked again
    assert "write_file_content" in result.execution.missing_inputs, result.execution.missing_inputs
    assert any("writes a part" in note and "a.txt" in note for note in result.analysis.notes), result.analysis.notes


@pytest.mark.parametrize(
    "task",
    [
        "Copy a.txt to b.txt",
        "Write the contents of a.txt to b.txt",
        "Save the text of a.txt to b.txt",
        "Write a.txt to b.txt",
        "Read a.txt and write it to b.txt",
        "Write all the lines of a.txt to b.txt",
    ],
)
async def test_a_file_written_whole_is_copied_as_before(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    plan = result.execution.plan
    assert plan is not None, result.execution.problems
    assert [(n.tool, n.args) for n in plan.nodes] == [
        ("read_file", {"path": "a.txt"}),
        ("write_file", {"path": "b.txt", "content": "${read.output.content}"}),
    ]
