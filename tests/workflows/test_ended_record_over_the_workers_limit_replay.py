"""A run whose ended record was over its worker's value limit, its steps stored in pieces (RECORD_IN_PIECES_PATCH,
workflows/record_pieces.py): ``ended_record_in_pieces_now`` replays on the current code, as the histories of runs
recorded before the patch do (tests/workflows/test_replay.py). The worker says a limit of 16,000 bytes while its
converter's store takes more (the session's), so every payload of the history is under the storage threshold and the
history holds them all (the replayer has no storage).

Save it again with ORCHESTRA_SAVE_HISTORIES=ended_record_in_pieces_now."""

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
from workflows.patches_at_start import SECOND_GATE_PATCH, TAKEN_AT_THE_SECOND_GATE
from workflows.record_pieces import RECORD_IN_PIECES_PATCH

WORKER_LIMIT = 16_000
NAME = "ended_record_in_pieces_now"


def _plan() -> dict[str, Any]:
    nodes = [{"id": f"s{i:02}_" + "x" * 100, "tool": "sleep", "args": {"seconds": 0}} for i in range(40)]
    return {"name": "record-pieces-replay", "max_parallel": 20, "nodes": nodes}


def _stored_in_pieces(history: History) -> bool:
    # The patch is asked by its own marker, or (a run since the second gate) by the gate's, which takes it.
    asked = [RECORD_IN_PIECES_PATCH] + (
        [SECOND_GATE_PATCH] if RECORD_IN_PIECES_PATCH in TAKEN_AT_THE_SECOND_GATE else []
    )
    markers = patches_asked(list(history.events))
    return any(patch.encode() in data for patch in asked for data in markers) and any(
        b"store the record of the run's" in event.SerializeToString() for event in history.events
    )


async def test_a_record_stored_in_pieces_replays(client: Client, task_queue: str, tmp_path: Path) -> None:
    small = settings_for(task_queue, tmp_path).model_copy(update={"storage_max_payload_bytes": WORKER_LIMIT})
    async with create_worker(client, small, default_registry()):
        handle = await start_plan(client, task_queue, _plan())
        record = ExecutionRecord.model_validate(await asyncio.wait_for(handle.result(), HANG_CHECK_S))
    assert record.state.value == "completed" and record.earlier and not record.steps, record.error
    history = await handle.fetch_history()
    if NAME in os.environ.get("ORCHESTRA_SAVE_HISTORIES", "").split(","):
        (HISTORIES / f"{NAME}.json").write_text(history.to_json())
    assert _stored_in_pieces(history)
    result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure


async def test_the_saved_record_stored_in_pieces_replays() -> None:
    history = History.from_json(NAME, (HISTORIES / f"{NAME}.json").read_text())
    assert _stored_in_pieces(history)
    result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure
