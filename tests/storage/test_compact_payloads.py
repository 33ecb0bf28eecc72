"""A plan run's request, plan, schedule and carry travel without their default fields (a 100,000-node
plan is 7 MB instead of 24 MB) and read back as they were; every other value keeps every field."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from orchestra.calls import RunRequest
from orchestra.control import ControlState
from orchestra.converter import compose
from orchestra.plan import parse_plan
from orchestra.plan_chain import PlanCarry
from orchestra.record import ExecutionRecord
from orchestra.registry import default_registry
from orchestra.validation import prepare_plan
from tests.helpers import run_plan_with_history

STARTED = datetime(2026, 11, 29, tzinfo=UTC)
PLAN = {
    "name": "compact",
    "max_parallel": 16,  # the default: left out
    "nodes": [
        {"id": "a", "tool": "sleep", "args": {"seconds": 0}, "skip_on_error": False},
        {"id": "b", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["a"], "skip_on_error": True,
         "retry": {"max_attempts": 2}, "local": False},
    ],
}  # fmt: skip


def sent(value: Any) -> tuple[dict[str, Any], Any]:
    """What the product's converter sends for ``value`` (as JSON), and what it reads back."""
    converter = compose(None, None).payload_converter
    [payload] = converter.to_payloads([value])
    [back] = converter.from_payloads([payload], [type(value)])
    return json.loads(payload.data), back


def test_a_request_and_a_carry_are_sent_without_defaults_and_read_back_whole():
    plan = parse_plan(PLAN)
    request = RunRequest(plan=plan)
    data, back = sent(request)
    assert data == {"plan": {"name": "compact", "nodes": [
        {"id": "a", "tool": "sleep", "args": {"seconds": 0}},
        {"id": "b", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["a"], "skip_on_error": True,
         "retry": {"max_attempts": 2}, "local": False},
    ]}}  # fmt: skip
    assert back.model_dump() == request.model_dump() and back.plan.node("b").skip_on_error
    schedule = prepare_plan(plan, default_registry()).schedule()
    record = ExecutionRecord(id="wf", run_id="r1", plan_name="compact", runs=["r1"], started_at=STARTED)
    carry = PlanCarry(record=record, schedule=schedule, control=ControlState(), fallback_failures={"sleep": 1})
    data, back = sent(carry)
    assert "scope" not in data and "open_circuits" not in data and data["fallback_failures"] == {"sleep": 1}
    assert back.model_dump() == carry.model_dump()


def test_other_values_keep_every_field():
    record = ExecutionRecord(id="wf", run_id="r1", plan_name="compact", runs=["r1"], started_at=STARTED)
    data, back = sent(record)
    assert set(data) == set(ExecutionRecord.model_fields) and back.model_dump() == record.model_dump()


async def test_a_run_reads_the_compact_request_it_was_started_with(client, task_queue, tmp_path):
    record, history = await run_plan_with_history(client, task_queue, tmp_path, PLAN)
    assert record.metrics.completed == 2
    started = next(line for line in history.splitlines() if line.startswith('{"plan"'))
    assert '"max_parallel"' not in started and '"skip_on_error":true' in started
