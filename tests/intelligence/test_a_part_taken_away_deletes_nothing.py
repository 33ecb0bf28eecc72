"""A clause taking away a part of what a file or a text holds ("every line of a.txt", "a.txt's first paragraph",
"the changes to a.txt", "the first word" of a caption, "the contents of a.txt") deletes no file: before, it
planned delete_file with its path asked, and a user answering a.txt lost the whole file. It is a missing step
saying why. With no plan at all, the plan lists no file read, written or deleted: no step touches any."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans

PARTS = [
    "Delete every line of a.txt",
    "Delete a.txt's first paragraph",
    "Discard the changes to a.txt",
    "Caption photo.jpg, then remove the first word",
    "Delete the contents of a.txt",
    "Delete all lines in a.txt",
    "Remove line 3 from a.txt",
    "Erase the first 10 lines of a.txt",
    "Wipe a.txt's contents",
    "Get rid of the last sentence of a.txt",
    "Read a.txt, then delete its first line",
]


@pytest.mark.parametrize("task", PARTS)
async def test_a_part_taken_away_is_missing_never_a_delete(task: str) -> None:
    execution = (await plan_task(task, as_the_cli_plans())).execution
    nodes = execution.plan.nodes if execution.plan is not None else []
    assert [n for n in nodes if n.tool == "delete_file"] == []
    assert any("takes a part of a file or a text away" in m for m in execution.missing), execution.missing


@pytest.mark.parametrize("task", PARTS)
async def test_a_part_taken_away_deletes_no_file_beside_media_tools(task: str) -> None:
    execution = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    nodes = execution.plan.nodes if execution.plan is not None else []
    assert [n for n in nodes if n.tool == "delete_file"] == []


@pytest.mark.parametrize("task", ["Delete a.txt", "Read a.txt, then delete it", "Delete the file a.txt"])
async def test_a_file_named_as_what_goes_is_still_deleted(task: str) -> None:
    execution = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    assert execution.plan is not None and not execution.missing
    assert [n.args["path"] for n in execution.plan.nodes if n.tool == "delete_file"] == ["a.txt"]


# "rm a.txt" was one (plan181) until a delete said as a command was planned (plan182), and "nuke a.txt" until "nuke"
# was read as a delete (plan311): "frobnicate" is no verb the planner knows
@pytest.mark.parametrize("task", ["frobnicate a.txt", "Delete the contents of a.txt", "Discard the changes to a.txt"])
async def test_no_plan_lists_no_file_touched(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans())
    assert result.execution.plan is None
    needs = result.analysis.resource_requirements
    assert (needs.files_read, needs.files_written, needs.files_deleted) == ([], [], [])
    assert needs.tool_calls == 0
