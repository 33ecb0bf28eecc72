"""A change said in the passive of several files ("Have b.txt and c.txt deleted by Bob", "b.txt, c.txt and d.txt
need to be deleted by the team") is that person's act, reported as theirs like the change of one file is: the
"and" between the files cut the order in two, "Have b.txt" and "c.txt deleted by Bob", neither read as work ("no
action found"). Said by no one ("Have b.txt and c.txt deleted"), it is the user's, and each file is deleted."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


@pytest.mark.parametrize(
    "task",
    [
        "Have b.txt and c.txt deleted by Bob",
        "Have b.txt, c.txt and d.txt deleted by the team",
        "Have b.txt, c.txt, and d.txt removed by Alice",
        "I want b.txt and c.txt removed by my colleague",
        "b.txt and c.txt need to be deleted by Bob",
        "Get old.txt and new.txt erased by my boss",
        "Please have b.txt and c.txt deleted by Carol",
        "We'd like b.txt and c.txt removed by the admin",
        "Have b.txt and c.txt deleted today by Bob",
        "Have a.log, b.log and c.log deleted by him",
        "Have b.txt and c.txt deleted by Bob.",
    ],
)
async def test_files_listed_in_a_change_another_does_are_reported(task: str) -> None:
    result = (await plan_task(task, as_the_cli_plans())).execution
    nodes = result.plan.nodes if result.plan is not None else []
    assert not [n for n in nodes if n.tool == "delete_file"], nodes
    assert any("was reported" in m for m in result.missing), result.missing


@pytest.mark.parametrize(
    ("task", "deleted"),
    [
        ("Have b.txt and c.txt deleted", {"b.txt", "c.txt"}),
        ("Have b.txt, c.txt and d.txt deleted", {"b.txt", "c.txt", "d.txt"}),
        ("I want b.txt and c.txt removed", {"b.txt", "c.txt"}),
        ("b.txt and c.txt need to be deleted", {"b.txt", "c.txt"}),
        ("Have b.txt and c.txt deleted by Friday", {"b.txt", "c.txt"}),
        ("Get b.txt and c.txt removed now", {"b.txt", "c.txt"}),
        ("Delete b.txt and c.txt", {"b.txt", "c.txt"}),
        ("Have b.txt deleted", {"b.txt"}),
        ("Have b.txt and c.txt deleted by noon", {"b.txt", "c.txt"}),
        ("Get the files b.txt and c.txt removed", {"b.txt", "c.txt"}),
    ],
)
async def test_files_listed_in_a_change_by_no_one_named_are_the_users(task: str, deleted: set[str]) -> None:
    result = (await plan_task(task, as_the_cli_plans())).execution
    assert result.plan is not None, result.problems
    assert {n.args.get("path") for n in result.plan.nodes if n.tool == "delete_file"} == deleted, result.plan.nodes
    assert not result.missing
