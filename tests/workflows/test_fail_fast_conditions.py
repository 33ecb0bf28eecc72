"""A fail_fast plan stops at its first failure, whichever way the step failed: a condition that cannot be decided
(a type error, an index past a list's end) fails its step as surely as a tool's error does. Such a step failed
where it was settled, not among the steps seen finishing, and fail_fast never heard of it: the steps running went
on to their end (a minute's sleep, and the step after it), and the steps not started yet (a wide plan's next
batches, STARTS_PER_TASK a workflow task) started all the same.

Saved histories (ORCHESTRA_SAVE_HISTORIES=1 saves this run's): fail_fast_condition_stops_now.json (recorded by this
code), fail_fast_condition_unheard_before.json (by the code before); both replay with test_saved_histories_replay."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowFailureError

from orchestra.record import ExecutionRecord, StepState
from tests.helpers import run_plan_to_failure, start_plan, worker_for
from tests.workflows.test_replay import HISTORIES, _replayer
from tests.workflows.test_wide_plan_first_task import wide_plan
from workflows.plan_driver import STARTS_PER_TASK

UNDECIDABLE = "a.output.entries[999].size > 1"  # an IndexError at run time: the condition's step fails
SAVED = "fail_fast_condition_stops_now"


def condition_failing(slow_s: int) -> dict[str, Any]:
    return {
        "name": "fail-fast-condition",
        "fail_fast": True,
        "nodes": [
            {"id": "a", "tool": "list_files", "args": {"path": "."}},
            {"id": "b", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["a"], "condition": UNDECIDABLE},
            {"id": "slow", "tool": "sleep", "args": {"seconds": slow_s}},
            {"id": "after", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["slow"]},
        ],
    }


def assert_stopped_by(record: ExecutionRecord, failed: str) -> None:
    """``failed`` failed, and every other step not finished before it was cancelled; those never started say why."""
    assert record.step(failed).state == StepState.ERROR, record.step(failed)
    unfinished = [s for s in record.steps if s.state not in (StepState.COMPLETED, StepState.ERROR)]
    assert unfinished and all(s.state == StepState.CANCELLED for s in unfinished), unfinished
    unstarted = [s for s in unfinished if not s.attempts]
    assert unstarted and all(s.skip_reason == f"fail_fast: step {failed!r} failed" for s in unstarted), unstarted


async def test_a_condition_failing_stops_the_running_steps_of_a_fail_fast_plan(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    record = await run_plan_to_failure(client, task_queue, tmp_path, condition_failing(slow_s=60))
    assert_stopped_by(record, "b")
    assert record.step("slow").attempts == 1 and record.step("after").attempts == 0, record.steps


async def test_a_condition_failing_in_a_wide_plans_first_batch_starts_none_of_the_next(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """The step whose condition fails is the first of the first batch: the rest of the batch, started in the same
    workflow task, never makes its call; the next batches never start; none is counted as a call made."""
    plan = wide_plan(3 * STARTS_PER_TASK)
    plan["fail_fast"] = True
    plan["nodes"][0]["condition"] = "None > 3"  # a TypeError at run time
    record = await run_plan_to_failure(client, task_queue, tmp_path, plan)
    assert_stopped_by(record, "s0")
    assert record.metrics.cancelled == 3 * STARTS_PER_TASK - 1 and record.metrics.tool_call_count == 0, record.metrics
    assert all(s.attempts == 0 and s.scheduled_at is None for s in record.steps), record.steps


async def test_a_fail_fast_run_stopped_by_a_condition_replays(client: Client, task_queue: str, tmp_path: Path) -> None:
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, condition_failing(slow_s=3))
        with pytest.raises(WorkflowFailureError):  # the plan fails: its history is what is replayed
            await handle.result()
        history = await handle.fetch_history()
    if os.environ.get("ORCHESTRA_SAVE_HISTORIES"):
        (HISTORIES / f"{SAVED}.json").write_text(history.to_json())
    await _replayer().replay_workflow(history)
    cancels = [e for e in history.events if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED]
    assert len(cancels) == 1, "slow is cancelled when b's condition fails"
