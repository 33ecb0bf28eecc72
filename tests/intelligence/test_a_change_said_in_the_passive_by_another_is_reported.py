"""A change the user wants done by another, said in the passive ("Have b.txt deleted by Bob", "I want old.txt
removed by my colleague"), is that person's act, reported as theirs like "Have Bob delete b.txt": no delete is
planned. It was "no action found", a read of the file, or (a word of when before "by": "deleted today by Bob") the
delete itself. Done by no person ("by Friday", "by tomorrow"), it is the user's order, deleted as before."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


@pytest.mark.parametrize(
    "task",
    [
        "Have b.txt deleted by Bob",
        "Get old.txt removed by the team",
        "I want old.txt deleted by my colleague",
        "Have b.txt deleted today by Bob",
        "Have the file b.txt deleted by Alice",
        "Get b.txt erased by my boss",
        "We'd like old.txt removed by the admin",
        "old.txt needs to be deleted by Bob",
        "Have b.txt deleted by him",
        "Please have b.txt deleted by Carol",
    ],
)
async def test_a_change_done_by_another_is_reported(task: str) -> None:
    result = (await plan_task(task, as_the_cli_plans())).execution
    nodes = result.plan.nodes if result.plan is not None else []
    assert not [n for n in nodes if n.tool == "delete_file"], nodes
    assert any("was reported" in m for m in result.missing), result.missing


@pytest.mark.parametrize(
    "task",
    [
        "Have b.txt deleted",
        "Have b.txt deleted by Friday",
        "Have b.txt deleted by tomorrow",
        "Get old.txt removed now",
        "I want old.txt deleted",
        "old.txt needs to be deleted",
        "Get the file b.txt removed",
        "Have b.txt deleted by noon",
        "Delete b.txt",
        "Have b.txt deleted by Monday",
        "Have b.txt deleted by email",
    ],
)
async def test_a_change_by_no_one_named_is_the_users(task: str) -> None:
    result = (await plan_task(task, as_the_cli_plans())).execution
    assert result.plan is not None, result.problems
    assert [n.tool for n in result.plan.nodes] == ["delete_file"], result.plan.nodes
    assert not result.missing
