"""Histories of a chain's first run whose hand-over is over the worker's value limit but was stored whole by a
converter whose store takes it (the worker's limit 16,000 bytes, the client's the default): recorded before the
hand-over was cut in pieces (``handover_one_call_before``: one call of the store) and after
(``handover_in_pieces_now``: several, behind HAND_OVER_PIECES_PATCH). Both replay on the current code. Every
payload of them is under the storage threshold, so the history holds them all (the replayer has no storage).

Save them again with ORCHESTRA_SAVE_HISTORIES=handover_in_pieces_now (or handover_one_call_before, on the old
code only)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from temporalio.client import Client
from temporalio.client import WorkflowHistory as History

from orchestra.record import ExecutionRecord
from orchestra.registry import default_registry
from tests.helpers import settings_for, start_plan
from tests.workflows.test_handover_in_pieces import HANG_CHECK_S, patches_asked
from tests.workflows.test_replay import HISTORIES, _replayer
from worker import create_worker
from workflows.handover_pieces import HAND_OVER_PIECES_PATCH

WORKER_LIMIT = 16_000
SAVED = {"handover_one_call_before": False, "handover_in_pieces_now": True}  # name: the patch asked in it


def _plan() -> dict[str, Any]:
    nodes = [{"id": f"s{i:02}_" + "x" * 100, "tool": "sleep", "args": {"seconds": 0}} for i in range(60)]
    return {"name": "pieces-replay", "max_parallel": 20, "history_events_per_run": 150, "nodes": nodes}


async def _first_run(client: Client, task_queue: str, tmp_path: Path) -> History:
    small = settings_for(task_queue, tmp_path).model_copy(update={"storage_max_payload_bytes": WORKER_LIMIT})
    async with create_worker(client, small, default_registry()):
        handle = await start_plan(client, task_queue, _plan())
        await asyncio.wait_for(handle.result(), HANG_CHECK_S)
        record = await handle.query("record", result_type=ExecutionRecord)
    assert len(record.runs) >= 2, record.runs
    return await client.get_workflow_handle(handle.id, run_id=record.runs[0]).fetch_history()


async def test_a_fresh_hand_over_in_pieces_replays(client: Client, task_queue: str, tmp_path: Path) -> None:
    history = await _first_run(client, task_queue, tmp_path)
    for name in os.environ.get("ORCHESTRA_SAVE_HISTORIES", "").split(","):
        if name in SAVED:
            (HISTORIES / f"{name}.json").write_text(history.to_json())
    result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure
    assert any(HAND_OVER_PIECES_PATCH.encode() in data for data in patches_asked(list(history.events)))


async def test_hand_over_histories_before_and_after_the_pieces_replay() -> None:
    for name, patched in SAVED.items():
        history = History.from_json(name, (HISTORIES / f"{name}.json").read_text())
        asked = any(HAND_OVER_PIECES_PATCH.encode() in data for data in patches_asked(list(history.events)))
        assert asked == patched, name
        result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{name}: {result.replay_failure}"
