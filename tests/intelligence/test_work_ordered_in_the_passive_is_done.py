"""plan347: the causative passive was unread: "Have b.txt deleted", "Get the file b.txt removed", "I want b.txt
deleted", "b.txt needs deleting" had "no action found". With no one named to do it, each is the user's order, planned
as its active form; one naming who does it ("Have b.txt deleted by Bob") is no order of the user's and does nothing,
and a question ("Have you deleted b.txt?") nor a look ("Have a look at b.txt") orders no delete."""

from __future__ import annotations

import pytest

from orchestra.analysis.models import TaskAnalysisError
from tests.intelligence.reading import calls_asked_and_said


@pytest.mark.parametrize(
    "task",
    [
        "Have b.txt deleted",
        "Please have b.txt deleted",
        "Get the file b.txt removed",
        "Get b.txt deleted, please",
        "I want b.txt deleted",
        "We need b.txt removed",
        "I'd like b.txt deleted",
        "b.txt needs deleting",
        "b.txt needs to be deleted",
        "The file b.txt must be deleted",
        "b.txt should be removed",
        "Have it deleted: b.txt",
    ],
)
async def test_a_delete_ordered_in_the_passive_is_done(task: str) -> None:
    calls, _, _ = await calls_asked_and_said(task)
    assert ("delete_file", {"path": "b.txt"}) in calls, calls


async def test_a_write_ordered_in_the_passive_is_done() -> None:
    calls, _, _ = await calls_asked_and_said("Have 'hello' written to b.txt")
    assert ("write_file", {"path": "b.txt", "content": "hello"}) in calls, calls


@pytest.mark.parametrize(
    "task",
    [
        "Have b.txt deleted by Bob",
        "Get b.txt removed by the admin",
        "I want b.txt deleted by my colleague",
        "Have you deleted b.txt?",
        "Have a look at b.txt",
        "Has b.txt been deleted?",
        "b.txt was deleted yesterday",
        "Get started with b.txt",
    ],
)
async def test_no_delete_is_ordered(task: str) -> None:
    try:
        calls, _, _ = await calls_asked_and_said(task)
    except (TaskAnalysisError, AssertionError):
        return  # no plan: nothing done
    assert not [args for tool, args in calls if tool == "delete_file" and args.get("path") == "b.txt"], calls
