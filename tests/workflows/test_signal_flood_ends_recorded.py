"""A flood of large signals sent while a step runs ends the run recorded, before the server's history limit.

Found (attack339): 35 signals of 1.5 MB each from a plain Temporal client (its inputs in the history, not stored
outside it) while a step ran: the run, past the size at which it hands over, waited for that step to finish first,
and the server terminated it at 50 MB of history, its record lost. Now a run whose history reaches
plan_chain.HISTORY_STOP_BYTES while it cannot hand over stops its running steps and ends ERROR saying why, its record
kept. The bound is set low here (the run reads it where it is used), so that a few signals of 1 MB reach it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowFailureError

from orchestra import plan_chain
from orchestra.record import ExecutionRecord, StepState
from tests.helpers import CANCELS_HEARD_SOON, start_plan, worker_for
from tests.workflows.flood_support import flood, recorded, until_a_step_runs
from tests.workflows.test_replay import _replayer

STOP_BYTES = 2 * 1024 * 1024
SIGNAL_BYTES = 1024 * 1024
SLEEP_S = 120  # the step the run would wait for; the run ends long before it


async def test_large_signals_while_a_step_runs_end_the_run_recorded(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plan_chain, "HISTORY_STOP_BYTES", STOP_BYTES)
    plan = {"name": "signal-flood", "nodes": [{"id": "long", "tool": "sleep", "args": {"seconds": SLEEP_S}}]}
    async with worker_for(client, task_queue, tmp_path, **CANCELS_HEARD_SOON):
        handle = await start_plan(client, task_queue, plan)

        await until_a_step_runs(handle)
        await flood(client, handle.id, 3, SIGNAL_BYTES)
        with pytest.raises(WorkflowFailureError) as failed:
            await asyncio.wait_for(handle.result(), SLEEP_S / 2)
    record = ExecutionRecord.model_validate(recorded(failed.value))
    assert record.error is not None and record.error.code == "history_too_large", record.error
    assert "large signals or updates" in record.error.message and f"{STOP_BYTES:,}" in record.error.message
    assert record.step("long").state == StepState.CANCELLED
    assert len(record.pause_reason or "") < 1000, "a signal's large input is not kept in the record"
    # Its history (some megabytes of signals: not saved) replays on this code.
    replayed = await _replayer().replay_workflow(await handle.fetch_history(), raise_on_replay_failure=False)
    assert replayed.replay_failure is None, replayed.replay_failure
