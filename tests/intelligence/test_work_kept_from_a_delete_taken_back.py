"""A delete taken back is asked (its path is the user's to give): the work said beside the take-back takes its file
before anything may go. "Delete notes.txt. No wait, summarize it too" read notes.txt after the asked delete, and a
user answering notes.txt left the read nothing. "Discard the changes to a.txt" / "the edits to notes.txt": "to" names
what was changed, not a place (plan189): with media tools it edited an image asked for, or wrote a summary over
notes.txt."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize(
    "task",
    [
        "Delete notes.txt. No wait, summarize it too",
        "Delete notes.txt. No wait, read it too",
        "Delete notes.txt. No wait, summarize it first",
    ],
)
async def test_the_read_comes_before_the_asked_delete(task: str) -> None:
    execution = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    assert execution.plan is not None
    nodes = {n.id: n for n in execution.plan.nodes}
    (delete,) = [n for n in nodes.values() if n.tool == "delete_file"]
    (read,) = [n for n in nodes.values() if n.tool == "read_file"]
    assert delete.args["path"] == "${inputs.delete_file_path}"
    assert read.id in delete.depends_on and delete.id not in read.depends_on


@pytest.mark.parametrize(
    "task", ["Discard the changes to a.txt", "Discard the edits to notes.txt", "Revert the changes to a.txt"]
)
async def test_the_changes_to_a_file_are_no_place_to_write(task: str) -> None:
    execution = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    nodes = execution.plan.nodes if execution.plan is not None else []
    assert [n.tool for n in nodes if n.tool in ("edit_image", "write_file", "delete_file")] == []
    assert execution.missing


@pytest.mark.parametrize(
    ("task", "written"),
    [("Save the changes to a.txt", "a.txt"), ("Translate notes.txt and write the changes to b.txt", "b.txt")],
)
async def test_a_storing_verb_still_writes_to_its_place(task: str, written: str) -> None:
    execution = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    assert execution.plan is not None
    assert [n.args["path"] for n in execution.plan.nodes if n.tool == "write_file"] == [written]
