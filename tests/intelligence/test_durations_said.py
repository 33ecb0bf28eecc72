"""A duration the request says is slept, in the words people say it (attack44), and every message shows the
request's literals as the user wrote them."""

from __future__ import annotations

import asyncio

import pytest

from orchestra.analysis.data import extract
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry


def slept(task: str) -> object:
    execution = asyncio.run(plan_task(task, default_registry())).execution
    assert execution.plan is not None, execution.problems
    return next(n.args["seconds"] for n in execution.plan.nodes if n.tool == "sleep")


@pytest.mark.parametrize(
    ("task", "seconds"),
    [
        ("Sleep 5 seconds", 5.0),
        ("Wait 2 minutes", 120.0),
        ("Wait for 3,000 seconds, then list the files", 3000.0),
        ("Sleep 5-10 seconds", 10.0),
        ("Wait 10 to 20 seconds", 20.0),
        ("Sleep 0.5 hours", 1800.0),
        ("Wait five seconds", 5.0),
        ("Sleep 250 ms", 0.25),
    ],
)
def test_the_duration_said_is_slept(task: str, seconds: float) -> None:
    """Before: a duration read was a kind of data the step wanted a tool to take, and sleep takes none ("sleep
    takes no input, the step has ['number']": no plan); one not read (a range, hours, a word) slept 1 s."""
    assert slept(task) == seconds


@pytest.mark.parametrize(
    ("task", "read"), [("Wait for 5,000 seconds, then list the files", "5,000"), ("Sleep 1.5 hours", "5,400")]
)
def test_a_duration_past_the_workers_longest_tool_call_is_read_and_refused(task: str, read: str) -> None:
    """The worker refuses a wait past 3,600 s: the plan is refused naming the duration read, not run until it."""
    execution = asyncio.run(plan_task(task, default_registry())).execution
    assert execution.plan is None and any(f"{read} is over 3,600" in p for p in execution.problems), execution.problems


@pytest.mark.parametrize("task", ["Sleep -5 s", "Sleep 1,5 s", "Sleep 1e999 s", "Sleep 1.5.3 s"])
def test_a_number_no_duration_reads_is_still_none(task: str) -> None:
    assert [d for d in extract(task).items if d.kind == "number"] == []


@pytest.mark.parametrize(
    ("task", "shown"),
    [
        ("Frobnicate for 5,000 seconds", "Frobnicate for 5,000 seconds"),
        ('Frobnicate {"a":  [1,2]} and @p3', 'Frobnicate {"a":  [1,2]} @p3'),
        ("Frobnicate 5-10 seconds", "Frobnicate 5-10 seconds"),
    ],
)
def test_a_message_shows_the_literals_as_written(task: str, shown: str) -> None:
    """Before: '(Frobnicate for 5000.0)' and the JSON as Python re-wrote it."""
    execution = asyncio.run(plan_task(task, default_registry())).execution
    assert any(f"({shown})" in problem for problem in execution.problems), execution.problems
