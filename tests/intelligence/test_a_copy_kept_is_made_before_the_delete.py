"""A copy kept of a file deleted ("Delete notes.txt, but keep a copy of it in b.txt") is made before the delete:
before, notes.txt was deleted, then b.txt read and written to a path asked for, and no copy was ever made."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


@pytest.mark.parametrize(
    "task",
    [
        "Delete notes.txt, but keep a copy of it in b.txt",
        "Delete notes.txt but keep a backup of it as b.txt",
        "Delete notes.txt, but save a copy of notes.txt to b.txt",
        "Delete notes.txt and make a copy of it in b.txt",
    ],
)
async def test_the_copy_is_written_before_the_file_goes(task: str) -> None:
    execution = (await plan_task(task, as_the_cli_plans())).execution
    assert execution.plan is not None and not execution.missing_inputs, execution.missing_inputs
    nodes = {n.tool: n for n in execution.plan.nodes}
    assert set(nodes) == {"read_file", "write_file", "delete_file"}
    assert nodes["read_file"].args == {"path": "notes.txt"}
    assert nodes["write_file"].args["path"] == "b.txt"
    assert nodes["delete_file"].args == {"path": "notes.txt"}
    assert nodes["write_file"].id in nodes["delete_file"].depends_on
