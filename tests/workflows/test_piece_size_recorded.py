"""A chain cuts its plan and its schedule in pieces of the size its validation recorded (PlanSchedule.piece_steps and
piece_bytes), read back by every replay: taken from plan_chain.PLAN_PIECE_STEPS at replay, a worker of a version that
changed the constant cut the first run's hand-over in another number of pieces, made another number of store calls
than the history holds, and the replay stopped on a nondeterminism error (a query of a finished run, a worker
restarted under a running one)."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowHistory

from orchestra import plan_chain
from orchestra.record import ExecutionRecord
from tests.helpers import start_plan, worker_for
from tests.workflows.test_replay import HISTORIES, _replayer
from tests.workflows.test_schedule_handed_in_pieces import SAVED, STEPS, _plan, _summaries

RECORDED_WITH = 3  # steps a piece: the plan's 14 in 5 pieces, stored two a call


async def test_a_chain_replays_after_the_piece_size_changes(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as recorded:
        recorded.setattr(plan_chain, "PLAN_PIECE_STEPS", RECORDED_WITH)
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, _plan(STEPS))
            record = ExecutionRecord.model_validate(await handle.result())
    assert record.state.value == "completed" and len(record.runs) >= 3, record.runs
    first = await client.get_workflow_handle(handle.id, run_id=record.runs[0]).fetch_history()
    stores = [s for s in _summaries(first) if s.startswith("store the plan's")]
    assert len(stores) == 3, f"the plan was not cut in pieces of {RECORDED_WITH} steps: {stores}"
    for size in (RECORDED_WITH, 10_000, 2):
        monkeypatch.setattr(plan_chain, "PLAN_PIECE_STEPS", size)
        result = await _replayer().replay_workflow(first, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"replayed with pieces of {size} steps: {result.replay_failure}"


@pytest.mark.parametrize("size", [2, 50_000])
async def test_a_saved_history_replays_after_the_piece_size_changes(size: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Recorded before the size was: what runs recorded then cut by (10,000 steps, 1 MB) is read."""
    monkeypatch.setattr(plan_chain, "PLAN_PIECE_STEPS", size)
    monkeypatch.setattr(plan_chain, "PLAN_PIECE_BYTES", 1_000)
    history = WorkflowHistory.from_json(SAVED[0], (HISTORIES / f"{SAVED[0]}.json").read_text())
    result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure
