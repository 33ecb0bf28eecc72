"""Histories of a failed chain with undoable steps that started and did not complete in several runs, and one a
fallback completed after its first tool failed: recorded on the code before they were said in undo gaps (main at
7e97fa1, ``unfinished_chain_before_*``). Saying them changed the record and the carry only, never a command: they
replay on the current code, as a fresh run of the same plan does.

Save the fresh ones with ORCHESTRA_SAVE_HISTORIES=unfinished_chain_now."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.client import WorkflowHistory as History
from temporalio.exceptions import ApplicationError

from orchestra.record import ExecutionRecord
from tests.helpers import start_plan, worker_for
from tests.workflows.test_replay import HISTORIES, _replayer

UNDO = {"tool": "sleep", "args": {"seconds": 0}}
FAILING = {"tool": "read_file", "args": {"path": "missing.txt"}, "retry": {"max_attempts": 1}}
PARTS = ("first", "middle", "last")


def unfinished_chain() -> dict[str, Any]:
    """Steps one after another, long enough to hand over a few times, an undoable step allowed to fail beside every
    third, a step completed by its fallback, then a failing step."""
    pads = [{"id": f"p{i}", "tool": "sleep", "args": {"seconds": 0}, "compensation": UNDO,
             "depends_on": [f"p{i - 1}"] if i else []} for i in range(12)]  # fmt: skip
    allowed = [{"id": f"allowed{i}", **FAILING, "skip_on_error": True, "compensation": UNDO,
                "depends_on": [f"p{3 * i}"]} for i in range(4)]  # fmt: skip
    fallback = {"id": "fell_back", **FAILING, "alternatives": [UNDO], "compensation": UNDO, "depends_on": ["p5"]}
    last = ["p11", "fell_back", *(s["id"] for s in allowed)]
    return {"name": "saga-unfinished-chain", "compensate_on_failure": True, "history_events_per_run": 40,
            "nodes": [*pads, *allowed, fallback, {"id": "check", **FAILING, "depends_on": last}]}  # fmt: skip


async def chain_histories(client: Client, task_queue: str, workspace: Path) -> dict[str, History]:
    async with worker_for(client, task_queue, workspace):
        handle = await start_plan(client, task_queue, unfinished_chain())
        with pytest.raises(WorkflowFailureError) as failure:
            await handle.result()
        cause = failure.value.cause
        assert isinstance(cause, ApplicationError) and cause.type == "PlanFailed", str(cause)
        runs = ExecutionRecord.model_validate(cause.details[0]).runs
        assert len(runs) >= 3, runs
        picked = dict(zip(PARTS, (runs[0], runs[len(runs) // 2], runs[-1]), strict=True))
        return {
            part: await client.get_workflow_handle(handle.id, run_id=run).fetch_history()
            for part, run in picked.items()
        }


async def test_a_fresh_unfinished_chain_replays(client: Client, task_queue: str, tmp_path: Path) -> None:
    produced = await chain_histories(client, task_queue, tmp_path)
    save = "unfinished_chain_now" in os.environ.get("ORCHESTRA_SAVE_HISTORIES", "").split(",")
    for part, history in produced.items():
        if save:
            (HISTORIES / f"unfinished_chain_now_{part}.json").write_text(history.to_json())
        result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{part}: {result.replay_failure}"


@pytest.mark.parametrize("part", PARTS)
async def test_an_unfinished_chain_recorded_before_replays(part: str) -> None:
    path = HISTORIES / f"unfinished_chain_before_{part}.json"
    result = await _replayer().replay_workflow(
        History.from_json(path.stem, path.read_text()), raise_on_replay_failure=False
    )
    assert result.replay_failure is None, f"{part}: {result.replay_failure}"
