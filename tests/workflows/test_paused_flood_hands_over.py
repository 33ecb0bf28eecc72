"""A paused run with nothing running hands over to the next run of its chain once its history is full, rather than
wait on while large signals fill it (workflows/plan_driver.PlanDriver._woken).

Found (attack375): paused with its running step finished, a run woke on a full history only to stop, and only when
it could not hand over, which it could: it neither handed over nor stopped, and a flood of 1.5 MB signals had the
server terminate it at 50 MB, its record lost. The size at which a run hands over is set low here (the run reads it
as its workflow code is imported), so that a few signals of 1 MB reach it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from temporalio.client import Client

from orchestra import limits
from orchestra.control import PAUSE_SIGNAL, RESUME_SIGNAL
from orchestra.record import ExecutionRecord, StepState
from tests.helpers import CANCELS_HEARD_SOON, start_plan, until, worker_for
from tests.workflows.flood_support import flood
from tests.workflows.test_replay import _replayer

HAND_OVER_BYTES = 2 * 1024 * 1024
SIGNAL_BYTES = 1024 * 1024
WITHIN_S = 120  # generous: only a run that never hands over reaches it


async def test_a_paused_run_flooded_with_large_signals_hands_over_still_paused(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "BYTES_PER_RUN", HAND_OVER_BYTES)
    plan = {
        "name": "paused-flood",
        "nodes": [
            {"id": "a", "tool": "sleep", "args": {"seconds": 0}},
            {"id": "b", "tool": "sleep", "args": {"seconds": 2}},
            {"id": "c", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["b"]},
        ],
    }
    async with worker_for(client, task_queue, tmp_path, **CANCELS_HEARD_SOON):
        started = await start_plan(client, task_queue, plan)
        handle = client.get_workflow_handle(started.id)  # the chain's latest run, not its first

        async def state(node_id: str) -> StepState | None:
            record = await handle.query("record", result_type=ExecutionRecord)
            steps = record.steps if record is not None else []
            return next((s.state for s in steps if s.node_id == node_id), None)  # a step not started is not listed

        await until(lambda: state("b"), lambda s: s == StepState.CALLING_TOOL, within=WITHIN_S)
        await handle.signal(PAUSE_SIGNAL, "hold")
        await until(lambda: state("b"), lambda s: s == StepState.COMPLETED, within=WITHIN_S)
        first = (await handle.describe()).run_id
        await flood(client, handle.id, 3, SIGNAL_BYTES)

        async def run_id() -> str | None:
            return (await handle.describe()).run_id

        # Handed over while still paused: nothing resumed it.
        await until(run_id, lambda now: now != first, within=WITHIN_S)
        assert await state("c") in (None, StepState.PENDING)  # not started: still paused
        await handle.signal(RESUME_SIGNAL)
        await asyncio.wait_for(handle.result(), WITHIN_S)
        assert await state("c") == StepState.COMPLETED
    # The first run's history (some megabytes of signals: not saved) replays on this code.
    history = await client.get_workflow_handle(handle.id, run_id=first).fetch_history()
    replayed = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert replayed.replay_failure is None, replayed.replay_failure
