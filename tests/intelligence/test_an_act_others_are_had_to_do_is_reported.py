"""plan334: a change another person is had or said to do ("Have the team remove old.txt", "My colleague needs to
delete b.txt") answered "no action found", as if nothing were said, and "Get me to delete b.txt" deleted b.txt. Each
is another's act (the user's, got to do it, for "Get me to"): the plan changes nothing and says the change was
reported. A careful assistant asks rather than deletes where "get me to" may mean "walk me through it". "Have" before
a thing, and the user's own orders, stay as they were planned."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


async def _deleted_and_reported(task: str) -> tuple[list[object], bool]:
    execution = (await plan_task(task, as_the_cli_plans())).execution
    nodes = execution.plan.nodes if execution.plan is not None else []
    return [n.args.get("path") for n in nodes if n.tool == "delete_file"], any(
        "was reported" in m for m in execution.missing
    )


@pytest.mark.parametrize(
    "task",
    [
        "Have the team remove b.txt",
        "Have Bob delete b.txt",
        "Have them delete b.txt",
        "have my colleague erase b.txt",
        "Please have the intern delete b.txt",
        "My colleague needs to delete b.txt",
        "My boss has to delete b.txt",
        "The intern is supposed to delete b.txt",
        "My sister wants to delete b.txt",
        "The developers need to remove b.txt",
        "Our admin is going to delete b.txt",
        "Get me to delete b.txt",
        "Get us to delete b.txt",
    ],
)
async def test_an_act_another_is_had_to_do_is_reported_not_done(task: str) -> None:
    deleted, reported = await _deleted_and_reported(task)
    assert deleted == [] and reported, (deleted, reported)


@pytest.mark.parametrize(
    ("task", "deleted"),
    [
        ("Delete b.txt", ["b.txt"]),
        ("Please delete b.txt", ["b.txt"]),
        ("Have a look at a.txt and delete b.txt", ["b.txt"]),
        ("I need to delete b.txt — do it", ["b.txt"]),
        ("Help me delete b.txt", ["b.txt"]),
        ("Get rid of b.txt", ["b.txt"]),
        ("We need to delete b.txt", ["b.txt"]),
        ("Let's delete b.txt", ["b.txt"]),
        ("Allow me to delete b.txt", ["b.txt"]),
        ("Have the team remove old.txt, then delete b.txt", ["b.txt"]),
        ("My colleague needs a.txt. Delete b.txt", ["b.txt"]),
    ],
)
async def test_the_users_own_order_stays(task: str, deleted: list[str]) -> None:
    assert (await _deleted_and_reported(task))[0] == deleted


@pytest.mark.parametrize(
    "task",
    [
        "My team will review it. Summarize a.txt",
        "Summarize a.txt. My manager will present it tomorrow.",
        "My boss wants to read it. Summarize a.txt",
    ],
)
async def test_what_else_another_does_stays_context(task: str) -> None:
    execution = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    assert execution.plan is not None and not execution.missing, execution.missing
    assert [n.tool for n in execution.plan.nodes] == ["read_file", "summarize_text"]
