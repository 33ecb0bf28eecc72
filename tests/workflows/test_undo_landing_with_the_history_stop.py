"""An undo whose activity completed in the workflow task that fills its run's history is recorded as undone (issue 9:
records that never lie).

Found (product396): the compensation's watch for the history stop (workflows/recovery.py's _unless_overfull) is a
wait condition, and temporalio 1.35 checks those once an activation's signals are applied, before it resolves the
activities in it: the stop cancelled the undo before its result landed and recorded it CANCELLED, "may have done part
of its work", when its tool had finished. Made here on purpose (tests/workflows/held_activation.py): the worker holds
an activation while the undo completes; large signals make the server fail that task, and the next brings them all,
past the (lowered) bound, in one."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowFailureError

from orchestra.control import RESUME_SIGNAL
from orchestra.record import ExecutionRecord, StepState
from tests.helpers import until, worker_for
from tests.patience import patient
from tests.workflows.flood_support import flood, recorded
from tests.workflows.held_activation import (
    ENDS_WITHIN_S,
    STOP_BYTES,
    HeldActivations,
    in_one_task,
    start_held_plan,
    stop_lowered,
)
from tests.workflows.test_replay import _replayer

UNDO_S = 2


async def test_an_undo_completed_in_the_task_that_fills_the_history_is_recorded_undone(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop_lowered(monkeypatch)
    plan = {
        "name": "undo-lands",
        "compensate_on_failure": True,
        "nodes": [
            {"id": "a", "tool": "sleep", "args": {"seconds": 0},
             "compensation": {"tool": "sleep", "args": {"seconds": UNDO_S}}},
            {"id": "b", "tool": "sleep", "args": {"seconds": 3}, "timeout_s": 1, "retry": {"max_attempts": 1},
             "depends_on": ["a"]},
        ],
    }  # fmt: skip
    executor = HeldActivations()
    async with patient(worker_for(client, task_queue, tmp_path, workflow_task_executor=executor)):
        handle = await start_held_plan(client, task_queue, plan)

        async def undoing() -> bool:
            record = await handle.query("record", result_type=ExecutionRecord)
            return record is not None and any(s.node_id == "a" and s.compensation for s in record.steps)

        await until(undoing)
        executor.arm()
        await flood(client, handle.id, 1, 0, RESUME_SIGNAL)  # a small one, whose activation is held
        await executor.until_holding()

        await in_one_task(client, handle, executor)  # the undo's completion with large signals, in one
        with pytest.raises(WorkflowFailureError) as failed:  # b timed out
            await asyncio.wait_for(handle.result(), ENDS_WITHIN_S)
    record = ExecutionRecord.model_validate(recorded(failed.value))
    undo = record.step("a").compensation
    assert undo is not None and undo.state == StepState.COMPLETED, undo
    assert not record.undo_gaps, record.undo_gaps
    assert record.error is None or record.error.code != "history_too_large", record.error
    history = await handle.fetch_history()
    events = [e.event_type for e in history.events]
    assert EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED in events, "the held task was failed, its events brought together"
    assert sum(e.ByteSize() for e in history.events) > STOP_BYTES, "the stop was reached"
    replayed = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert replayed.replay_failure is None, replayed.replay_failure
