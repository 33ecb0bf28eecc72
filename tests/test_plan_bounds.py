"""A plan's own limits are refused when they cannot mean anything, with the bounds and why."""

from __future__ import annotations

import pytest
import yaml

from orchestra.errors import PlanValidationError
from orchestra.plan import parse_plan
from orchestra.registry import default_registry
from orchestra.validation import prepare_plan

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


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ({"max_parallel": 1001}, "field 'max_parallel': 1,001 is over 1,000: a run starts at most 1,000 steps at once"),
        ({"tool_concurrency": {"sleep": 10**12}},
         "field 'tool_concurrency.sleep': 1,000,000,000,000 is over 1,000: a run starts at most 1,000 steps at once"),
        ({"circuit_breaker": {"failures_to_open": 10**9}},
         "1,000,000,000 is over 1,000,000: a circuit that waits for more failed calls of a tool never opens"),
    ],
    ids=["max_parallel", "tool_concurrency", "failures_to_open"],
)  # fmt: skip
def test_a_count_past_any_use_is_refused_with_its_ceiling_and_why(extra: dict[str, object], says: str) -> None:
    """``tool_concurrency: {sleep: 10**12}`` and a circuit opening after a billion failures were taken."""
    with pytest.raises(PlanValidationError) as refused:
        parse_plan({"nodes": NODES, **extra})
    (problem,) = refused.value.problems
    assert says in problem, problem


def test_the_ceilings_themselves_are_taken() -> None:
    plan = parse_plan({"nodes": NODES, "max_parallel": 1000, "tool_concurrency": {"sleep": 1000},
                       "circuit_breaker": {"failures_to_open": 1_000_000}})  # fmt: skip
    assert plan.max_parallel == plan.tool_concurrency["sleep"] == 1000


@pytest.mark.parametrize(
    "extra",
    [
        {"timeout_s": True},
        {"max_parallel": True},
        {"history_events_per_run": True},
        {"tool_concurrency": {"sleep": True}},
        {"circuit_breaker": {"failures_to_open": True}},
        {"nodes": [{**NODES[0], "retry": {"max_attempts": True}}]},
        {"nodes": [{**NODES[0], "heartbeat_timeout_s": False}]},
    ],
    ids=["deadline", "max_parallel", "events per run", "tool concurrency", "circuit", "attempts", "heartbeat"],
)
def test_yes_or_no_in_a_numbers_place_is_refused(extra: dict[str, object]) -> None:
    """YAML reads `timeout_s: yes` as true and pydantic true as 1: a one-second deadline, accepted."""
    with pytest.raises(PlanValidationError) as refused:
        parse_plan(yaml.safe_load(yaml.safe_dump({"nodes": NODES, **extra})))
    (problem,) = refused.value.problems
    assert "is yes or no, not a number" in problem, problem


def test_a_retry_whose_maximum_interval_is_below_its_initial_one_is_refused() -> None:
    with pytest.raises(PlanValidationError) as refused:
        parse_plan({"nodes": [{**NODES[0], "retry": {"initial_interval_s": 10, "max_interval_s": 1}}]})
    assert "max_interval_s 1 is below initial_interval_s 10" in refused.value.problems[0]
    # The node's maximum against its tool's initial interval (1 s for sleep): only validation sees both.
    plan = parse_plan({"nodes": [{**NODES[0], "retry": {"max_interval_s": 0.5}}]})
    with pytest.raises(PlanValidationError) as refused:
        prepare_plan(plan, default_registry())
    assert refused.value.problems == [
        "node 'a': retry: max_interval_s 0.5 is below initial_interval_s 1 (the tool 'sleep' sets what the node does not)"
    ]


def test_a_concurrency_limit_on_a_tool_no_step_calls_is_refused() -> None:
    """A misspelt tool name left the tool it meant unlimited."""
    plan = parse_plan({"tool_concurrency": {"slep": 1, "sleep": 2}, "nodes": NODES})
    with pytest.raises(PlanValidationError) as refused:
        prepare_plan(plan, default_registry())
    assert refused.value.problems == ["tool_concurrency: no step of the plan calls 'slep' (did you mean 'sleep'?)"]


def test_a_wait_past_the_workers_longest_tool_call_is_refused_when_validated() -> None:
    """`sleep 5400` was valid, and failed only when the run reached it (`seconds=5400 exceeds the maximum of
    3600`), after the steps before it had run: the ceiling is the worker's, a constant validation knows."""
    plan = parse_plan({"nodes": [{"id": "nap", "tool": "sleep", "args": {"seconds": 5400}}]})
    with pytest.raises(PlanValidationError) as refused:
        prepare_plan(plan, default_registry())
    assert refused.value.problems == [
        "node 'nap': argument seconds for tool 'sleep': 5,400 is over 3,600: the worker's longest tool call"
    ]
    at_the_ceiling = parse_plan({"nodes": [{"id": "nap", "tool": "sleep", "args": {"seconds": 3600}}]})
    assert prepare_plan(at_the_ceiling, default_registry()).plan.nodes[0].args == {"seconds": 3600}
