"""The record query answers at most QUERY_STEPS steps, the first in plan order, and counts the others, whatever
the plan's size: it built every pending step, serialised the whole record to measure it and the converter
serialised it again, all in the worker's sandbox, and past some 2,000 steps at load it failed the 2 s deadlock
limit (`status` had nothing to show). The answer says it is bounded, and `status` says so too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from temporalio.client import Client

from orchestra.record import QUERY_STEPS, ExecutionRecord, StepState
from tests.control_support import gate
from tests.helpers import settings_for, start_plan, until
from tests.ops.support import run_command
from worker import create_worker

PAST = 300  # steps past the bound: the old query listed them all (well within the storage's value limit)


async def test_a_large_live_run_answers_a_bounded_record_that_says_how_many_it_leaves_out(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    total = QUERY_STEPS + PAST + 1
    with gate() as (url, release):
        nodes: list[dict[str, Any]] = [{"id": "hold", "tool": "http_request", "args": {"url": url}}]
        nodes += [
            {"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["hold"]} for i in range(total - 1)
        ]
        async with create_worker(client, settings_for(task_queue, tmp_path)):
            handle = await start_plan(client, task_queue, {"name": "wide", "nodes": nodes})
            record = await until(lambda: handle.query("record", result_type=ExecutionRecord), _holding)
            status = await run_command(client, "--task-queue", task_queue, "status", handle.id)
            await handle.cancel()
            release.set()
            cancelled = await until(lambda: handle.query("record", result_type=ExecutionRecord), _cancelled)
    assert isinstance(record, ExecutionRecord)
    assert len(record.steps) == QUERY_STEPS and record.steps_not_listed == total - QUERY_STEPS
    assert [s.node_id for s in record.steps] == ["hold", *(f"s{i}" for i in range(QUERY_STEPS - 1))], "a prefix"
    assert all(s.state == StepState.PENDING for s in record.steps[1:])
    assert record.metrics.total_steps == total and record.metrics.pending + record.metrics.running == total
    flat = " ".join(status.out.split())
    assert status.code == 0, status.out
    assert f"and {total - QUERY_STEPS:,} more steps not listed" in flat and f"at most {QUERY_STEPS:,}" in flat, flat
    # An ended run's record holds every step: its answer is bounded alike.
    assert isinstance(cancelled, ExecutionRecord)
    assert len(cancelled.steps) == QUERY_STEPS and cancelled.steps_not_listed == total - QUERY_STEPS
    assert cancelled.metrics.cancelled >= total - 1, "the steps not reached yet are cancelled"


def _holding(record: ExecutionRecord) -> bool:
    return any(s.node_id == "hold" and s.state == StepState.CALLING_TOOL for s in record.steps)


def _cancelled(record: ExecutionRecord) -> bool:
    return record.state.value == "cancelled"
