"""Histories of a chain that fails in a later run and undoes the writes of its first: recorded before
compensation covered the steps earlier runs stored (``chain_undo_kept_*``: those steps stayed listed in
the carry) and after (``chain_undo_stored_*``: they went with the chunk). Both replay on the current code.

Save them again with ORCHESTRA_SAVE_HISTORIES=chain_undo_stored (or chain_undo_kept, on the old code only)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.client import WorkflowHistory as History
from temporalio.exceptions import ApplicationError

from orchestra.record import ExecutionRecord
from tests.helpers import start_plan, worker_for
from tests.workflows.test_compensation_chain import chain_plan
from tests.workflows.test_replay import HISTORIES, _replayer
from tests.workflows.test_write_undo import _write as write


async def _chain_undo(client: Client, task_queue: str, workspace: Path) -> dict[str, History]:
    (workspace / "a.txt").write_text("the user's")
    plan = chain_plan([write("over", "a.txt"), write("made", "b.txt", after="over")])
    handle = await start_plan(client, task_queue, plan)
    with pytest.raises(WorkflowFailureError) as failure:
        await handle.result()
    assert (workspace / "a.txt").read_text() == "the user's"
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError)
    record = ExecutionRecord.model_validate(cause.details[0])
    assert len(record.runs) >= 2, record.runs
    first, last = (client.get_workflow_handle(handle.id, run_id=r) for r in (record.runs[0], record.runs[-1]))
    return {"first": await first.fetch_history(), "last": await last.fetch_history()}


async def test_a_fresh_chain_undo_replays(client: Client, task_queue: str, tmp_path: Path) -> None:
    async with worker_for(client, task_queue, tmp_path):
        produced = await _chain_undo(client, task_queue, tmp_path)
    save = os.environ.get("ORCHESTRA_SAVE_HISTORIES", "")
    for part, history in produced.items():
        for prefix in ("chain_undo_kept", "chain_undo_stored"):
            if prefix in save.split(","):
                (HISTORIES / f"{prefix}_{part}.json").write_text(history.to_json())
        result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{part}: {result.replay_failure}"


def test_chain_undo_histories_are_saved() -> None:
    names = {p.stem for p in HISTORIES.glob("chain_undo_*.json")}
    assert names >= {
        f"{kind}_{part}" for kind in ("chain_undo_kept", "chain_undo_stored") for part in ("first", "last")
    }
