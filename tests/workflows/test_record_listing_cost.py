"""What listing a record costs: each step measured once while it does not change, and no step taken (a pending
one made) past those listed. The record query did both for every step on each call, in the worker's sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import islice

from orchestra.plan import parse_plan
from orchestra.plan_steps import PlanSteps
from orchestra.record import CompensationRecord, ExecutionRecord, StepRecord, StepSizes, StepState
from orchestra.registry import default_registry
from orchestra.validation import prepare_plan

STEPS = 50


def _record() -> ExecutionRecord:
    steps = [
        StepRecord(node_id=f"s{i}", tool="sleep", phase=0, state=StepState.COMPLETED, output={"n": "x" * i})
        for i in range(STEPS)
    ]
    return ExecutionRecord(id="w", run_id="r", plan_name="p", started_at=datetime.now(UTC), steps=steps)


def test_each_finished_step_is_measured_once_until_an_undo_changes_it() -> None:
    record, sizes = _record(), StepSizes()
    limit = len(record.model_dump_json().encode()) * 2 // 3
    first = record.listed_within(record.steps, STEPS, limit, sizes=sizes)
    measured = sizes.measured
    again = record.listed_within(record.steps, STEPS, limit, sizes=sizes)
    assert sizes.measured == measured <= STEPS, "asked again, nothing is measured again"
    assert first.steps == again.steps and 0 < first.steps_not_listed < STEPS
    assert len(first.model_dump_json().encode()) <= limit, "within the limit"
    one_more = first.model_copy(update={"steps": record.steps[: len(first.steps) + 1]})
    assert len(one_more.model_dump_json().encode()) > limit - len(str(STEPS)), "as many as fit"
    record.steps[0].compensation = CompensationRecord(tool="sleep", state=StepState.COMPLETED, output="u" * 500)
    changed = record.listed_within(record.steps, STEPS, limit, sizes=sizes)
    assert sizes.measured == measured + 1, "the undone step is measured again"
    assert len(changed.model_dump_json().encode()) <= limit and len(changed.steps) < len(first.steps)


def test_no_step_is_taken_past_the_bound() -> None:
    record, taken = _record(), 0

    def listing() -> Iterator[StepRecord]:
        nonlocal taken
        for step in record.steps:
            taken += 1
            yield step

    bounded = record.listed_within(listing(), STEPS, 0, most=10)
    assert taken == 10 and len(bounded.steps) == 10 and bounded.steps_not_listed == STEPS - 10


def test_a_step_not_reached_yet_is_made_once_for_the_query_and_never_changed_by_the_run() -> None:
    plan = parse_plan(
        {"name": "p", "nodes": [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}} for i in range(5)]}
    )
    record = ExecutionRecord(id="w", run_id="r", plan_name="p", started_at=datetime.now(UTC))
    steps = PlanSteps(record, plan, prepare_plan(plan, default_registry()).schedule())
    first, again = list(islice(steps.listing(), 3)), list(islice(steps.listing(), 3))
    assert [s.node_id for s in first] == ["s0", "s1", "s2"] and all(a is b for a, b in zip(first, again, strict=True))
    with steps.changing(steps.step("s0")) as reached:
        reached.state = StepState.COMPLETED
    assert reached is not first[0] and first[0].state == StepState.PENDING, "what a query sent stays as sent"
    assert next(steps.listing()) is reached and steps.share == 5 and len(steps.listed()) == 5
