"""A step whose result is in the history is recorded with it, and a run that stops at its history's bound stops only
what was still running (issue 9: records that never lie).

Found (product390): in a full-size flood (tests/workflows/test_flood_while_handing_over.py) a run's history passed
plan_chain.HISTORY_STOP_BYTES in the workflow task that also brought its running step's completion. temporalio 1.35
(without PROCESS_WORKFLOW_ACTIVATION_JOBS_AS_SINGLE_BATCH) applies an activation's signals and checks the run's wait
conditions before it resolves the activities in it: the drive woke on the full history and stopped that step before
its result landed. The result landed after all (the call waits for its cancellation to complete), but the run ended
ERROR saying "1 step(s) still running", when it had nothing running and could hand over; and a drive woken by a timer
in the task that resolved a result cancelled the step before the result reached it, recording it CANCELLED.

Made here on purpose: the worker holds an activation while the step completes and large signals arrive; the server
fails that task (over 2 MiB of events buffered), and the next brings them all, past the (lowered) bound, in one."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from orchestra.control import RESUME_SIGNAL
from orchestra.record import ExecutionRecord, StepState
from tests.helpers import worker_for
from tests.patience import patient
from tests.workflows.flood_support import flood, until_a_step_runs
from tests.workflows.held_activation import (
    ENDS_WITHIN_S,
    HeldActivations,
    in_one_task,
    start_held_plan,
    stop_lowered,
)
from tests.workflows.test_replay import _replayer

STEP_S = 2


async def test_a_step_completed_in_the_task_that_fills_the_history_keeps_its_result_and_the_run_hands_over(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop_lowered(monkeypatch)
    nodes = [
        {"id": "s1", "tool": "sleep", "args": {"seconds": STEP_S}},
        {"id": "s2", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["s1"]},
    ]
    executor = HeldActivations()
    async with patient(worker_for(client, task_queue, tmp_path, workflow_task_executor=executor)):
        handle = await start_held_plan(client, task_queue, {"name": "lands", "nodes": nodes})
        first = handle.result_run_id
        await until_a_step_runs(handle)
        executor.arm()
        await flood(client, handle.id, 1, 0, RESUME_SIGNAL)  # a small one, whose activation is held
        await executor.until_holding()

        await in_one_task(client, handle, executor)  # the completions with large signals, in one
        record = ExecutionRecord.model_validate(await asyncio.wait_for(handle.result(), ENDS_WITHIN_S))
    assert record.state.value == "completed", (record.state, record.error)
    assert (record.metrics.completed, record.metrics.cancelled, len(record.runs)) == (2, 0, 2), record.metrics
    assert all(s.state == StepState.COMPLETED for s in record.steps), record.steps
    history = await client.get_workflow_handle(handle.id, run_id=first).fetch_history()
    events = [e.event_type for e in history.events]
    assert EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED in events, "the held task was failed, its events brought together"
    assert events[-1] == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, "the full run handed over"
    replayed = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert replayed.replay_failure is None, replayed.replay_failure
