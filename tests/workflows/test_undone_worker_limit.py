"""How an earlier run's undos ended is stored against the value limit of the worker storing it. It was measured
against the limit the compensating run read when it started: a run started on a worker of 50 MiB and compensating
on one restarted with 16 KB stored its undos' 37 KB as one value (a store that small refuses it: the task retried
for ever). Here the second worker's store takes it anyway (the client's is the default), so the sizes stored show
which limit was applied.

The second run's history is saved recorded before the read (``undone_against_the_starting_limit_before``, from a
copy of the code with UNDONE_WORKER_LIMIT_PATCH's ``workflow.patched(...)`` made False) and with it
(``undone_against_the_storing_limit_now``): both replay. Save them again with ORCHESTRA_SAVE_HISTORIES=NAME."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError, WorkflowHandle
from temporalio.client import WorkflowHistory as History
from temporalio.exceptions import ApplicationError

from orchestra.record import ExecutionRecord
from tests.workflows.test_handover_in_pieces import HANG_CHECK_S, patches_asked
from tests.workflows.test_handover_worker_limit import SMALLER, _on_a_smaller_worker
from tests.workflows.test_replay import HISTORIES, _replayer
from tests.workflows.test_write_undo import FAILING
from tests.workflows.undos_accounted import besides_timeouts
from workflows.recovery import UNDONE_WORKER_LIMIT_PATCH

UNDOABLE = 16
SAVED = {"undone_against_the_starting_limit_before": False, "undone_against_the_storing_limit_now": True}


def _asked(history: History) -> bool:
    return any(UNDONE_WORKER_LIMIT_PATCH.encode() in data for data in patches_asked(list(history.events)))


def _plan(url: str) -> dict[str, Any]:
    """16 steps whose undos return 9 KB each, finished by the first run while "held" is; the second run fails."""
    undoable = [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0},
                 "compensation": {"tool": "read_file", "args": {"path": "nine_kb.txt"}}} for i in range(UNDOABLE)]  # fmt: skip
    held = {"id": "held", "tool": "http_request", "args": {"url": url}, "retry": {"max_attempts": 1}}
    check = {"id": "check", **FAILING, "depends_on": ["held", *(s["id"] for s in undoable)]}
    return {"name": "undone-worker-limit", "compensate_on_failure": True, "max_parallel": 20,
            "history_events_per_run": 50, "nodes": [held, *undoable, check]}  # fmt: skip


async def test_undos_of_an_earlier_run_are_stored_against_the_limit_of_the_worker_storing_them(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    (tmp_path / "nine_kb.txt").write_text("u" * 9_000)

    async def failure(handle: WorkflowHandle[Any, Any]) -> tuple[str, BaseException | None]:
        with pytest.raises(WorkflowFailureError) as failed:
            await asyncio.wait_for(handle.result(), HANG_CHECK_S)
        return handle.id, failed.value.cause

    workflow_id, cause = await _on_a_smaller_worker(
        client, task_queue, tmp_path, _plan, failure, finished_first=UNDOABLE
    )
    assert isinstance(cause, ApplicationError) and cause.type == "PlanFailed", cause
    record = ExecutionRecord.model_validate(cause.details[0])
    # The second run, started on the first worker, stored undos on the second: its history replays.
    history = await client.get_workflow_handle(workflow_id, run_id=record.runs[1]).fetch_history()
    for name in os.environ.get("ORCHESTRA_SAVE_HISTORIES", "").split(","):
        if name in SAVED:
            (HISTORIES / f"{name}.json").write_text(history.to_json())
    result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure
    undone = [(c.run_index, v.bytes) for c in record.earlier for v in c.undone]
    assert undone and all(size <= SMALLER for _, size in undone), undone
    assert not besides_timeouts(record.undo_gaps), record.undo_gaps


@pytest.mark.parametrize("name", sorted(SAVED))
async def test_histories_before_and_after_the_storing_limit_replay(name: str) -> None:
    history = History.from_json(name, (HISTORIES / f"{name}.json").read_text())
    assert _asked(history) == SAVED[name], name
    result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, f"{name}: {result.replay_failure}"
