"""plan324: a file made holding work done on another file ("make a file b.txt containing the summary of a.txt") read
b.txt as the summary's source and wrote to a place asked for; "Add hello to b.txt" found no tool. The work is done
on the file it names and written to the file made (or, with no tool for the work, the content is asked, never b.txt
read nor a place guessed); what is added to a file is appended."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize(
    ("task", "work"),
    [
        ("make a file b.txt containing the summary of a.txt", "summarize_text"),
        ("create b.txt with a translation of a.txt", "translate_text"),
        ("Make a new file b.txt holding the summary of a.txt", "summarize_text"),
    ],
)
async def test_the_work_is_written_to_the_file_made(task: str, work: str) -> None:
    execution = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    assert execution.plan is not None, execution
    calls = [(n.tool, n.args) for n in execution.plan.nodes]
    assert [tool for tool, _ in calls] == ["read_file", work, "write_file"], calls
    assert calls[0][1] == {"path": "a.txt"}
    assert calls[2][1]["path"] == "b.txt", calls


async def test_with_no_tool_for_the_work_b_txt_is_not_read() -> None:
    execution = (await plan_task("make a file b.txt containing the summary of a.txt", as_the_cli_plans())).execution
    assert execution.plan is not None, execution
    assert [(n.tool, n.args.get("path")) for n in execution.plan.nodes if n.tool == "read_file"] == [
        ("read_file", "a.txt")
    ]


@pytest.mark.parametrize("media", [False, True])
async def test_what_is_added_to_a_file_is_appended(media: bool) -> None:
    execution = (
        await plan_task("Add hello to b.txt", as_the_cli_plans(MEDIA) if media else as_the_cli_plans())
    ).execution
    assert execution.plan is not None, execution
    assert [(n.tool, n.args) for n in execution.plan.nodes] == [
        ("write_file", {"path": "b.txt", "mode": "append", "content": "hello"})
    ]


async def test_something_added_to_a_picture_is_no_append() -> None:
    execution = (await plan_task("Add a hat to photo.jpg", as_the_cli_plans(MEDIA))).execution
    nodes = execution.plan.nodes if execution.plan else []
    assert not [n for n in nodes if n.tool == "write_file"], [(n.tool, n.args) for n in nodes]
