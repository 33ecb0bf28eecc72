"""attack261 (issue 8): "Delete a.txt. Actually, never mind." deleted a.txt (a take-back after "Actually," "Well,"
"Oh," was not read as one, where "Never mind." alone was), so did "Delete a.txt; never mind", and "Delete a.txt, or perhaps not" deleted it ("or not"
was read as an offer, "or maybe not" was not). Both are asked: the path is the user's to give."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


async def _deleted(task: str) -> list[object]:
    result = await plan_task(task, as_the_cli_plans())
    assert result.execution.plan is not None, result.execution.problems
    return [n.args["path"] for n in result.execution.plan.nodes if n.tool == "delete_file"]


@pytest.mark.parametrize(
    "task",
    [
        "Delete a.txt. Actually, never mind.",
        "Delete a.txt. Well, scratch that.",
        "Delete a.txt. Oh, forget it.",
        "Delete a.txt. Okay, never mind",
        "Delete a.txt; never mind",  # in the same sentence
        "Delete a.txt, actually, scratch that.",
        "Delete a.txt, forget it",
        "Delete a.txt, or perhaps not",
        "Delete a.txt or maybe don't",
        "Delete a.txt or possibly not.",
    ],
)
async def test_a_delete_taken_back_or_offered_is_asked(task: str) -> None:
    assert await _deleted(task) == ["${inputs.delete_file_path}"]


@pytest.mark.parametrize(
    ("task", "gone"),
    [
        ("Delete a.txt. Actually, also delete b.txt.", ["a.txt", "b.txt"]),
        ("Read a.txt. Actually, delete b.txt too.", ["b.txt"]),
    ],
)
async def test_more_work_after_actually_is_done(task: str, gone: list[str]) -> None:
    assert await _deleted(task) == gone
