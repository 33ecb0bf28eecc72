"""A continued run of a chain reads the value limit of the worker running it, and so does every hand-over
(WORKER_LIMIT_PATCH, a local activity each): ``chain_middle_worker_limit`` is a middle run recorded with both reads.
The chain's histories recorded before (``chain_first``, ``chain_last``) replay without them.

Save it again with ORCHESTRA_SAVE_HISTORIES=chain_middle_worker_limit."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from temporalio.client import Client
from temporalio.client import WorkflowHistory as History

from orchestra.record import ExecutionRecord
from tests.helpers import start_plan, worker_for
from tests.workflows.test_handover_in_pieces import patches_asked
from tests.workflows.test_replay import HISTORIES, _replayer
from workflows.patches_at_start import GATE_PATCH
from workflows.value_sizes import WORKER_LIMIT_PATCH

SAVED = {"chain_first": False, "chain_last": False, "chain_middle_worker_limit": True}  # name: the patch asked in it


def _asked(history: History) -> bool:
    return any(WORKER_LIMIT_PATCH.encode() in data for data in patches_asked(list(history.events)))


def _plan() -> dict[str, Any]:
    nodes = [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"s{i - 1}"] if i else []}
             for i in range(9)]  # fmt: skip
    return {"name": "chain-limit", "history_events_per_run": 25, "nodes": nodes}


async def test_a_middle_run_reading_the_workers_limit_replays(client: Client, task_queue: str, tmp_path: Path) -> None:
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, _plan())
        record = ExecutionRecord.model_validate(await handle.result())
    assert len(record.runs) >= 3, record.runs
    history = await client.get_workflow_handle(handle.id, run_id=record.runs[1]).fetch_history()
    if "chain_middle_worker_limit" in os.environ.get("ORCHESTRA_SAVE_HISTORIES", "").split(","):
        (HISTORIES / "chain_middle_worker_limit.json").write_text(history.to_json())
    limits_read = [e for e in history.events if b"value_limit" in e.SerializeToString()]
    assert _asked(history) and len(limits_read) >= 2, "read when the run starts and when it hands over"
    # Recorded before the schedule's read, whose result the code goes on from: after it, the patch was recorded in
    # the workflow task the code saw the result in, which a replay may not (value_sizes.ask_before_reading).
    events = [e.SerializeToString() for e in history.events]
    settled = (WORKER_LIMIT_PATCH.encode(), GATE_PATCH.encode())  # asked, or taken by the gate (patches_at_start)
    patched_at = next(i for i, e in enumerate(events) if any(patch in e for patch in settled))
    assert patched_at < next(i for i, e in enumerate(events) if b"load_value" in e), "asked after the read"
    result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure


async def test_chain_histories_before_and_after_the_workers_limit_replay() -> None:
    for name, patched in SAVED.items():
        history = History.from_json(name, (HISTORIES / f"{name}.json").read_text())
        assert _asked(history) == patched, name
        result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{name}: {result.replay_failure}"
