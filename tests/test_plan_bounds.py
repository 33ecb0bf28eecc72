"""A plan's own limits are refused when they cannot mean anything, with the bounds and why."""

from __future__ import annotations

import pytest

from orchestra.errors import PlanValidationError
from orchestra.plan import parse_plan

NODES = [{"id": "a", "tool": "sleep", "args": {"seconds": 0}}]


@pytest.mark.parametrize("events", [-1, 0, 1, 9, 20_001, 10**12])
def test_history_events_per_run_out_of_bounds_is_refused_with_its_bounds(events: int) -> None:
    with pytest.raises(PlanValidationError) as refused:
        parse_plan({"history_events_per_run": events, "nodes": NODES})
    (problem,) = refused.value.problems
    assert "history_events_per_run" in problem and "is not between 10 and 20,000" in problem, problem
    assert "before its first step can finish" in problem


@pytest.mark.parametrize("events", [10, 25, 20_000])
def test_history_events_per_run_within_bounds_is_taken(events: int) -> None:
    assert parse_plan({"history_events_per_run": events, "nodes": NODES}).history_events_per_run == events
