"""A run's start bounds (BOUNDED_STARTS_PATCH, SETTLED_APART_PATCH) are asked when it starts, before any local
activity (START_BOUNDS_PATCH). Asked when the bound first limited, after local steps' results, a run of 40 local 1 s
steps on 2 local slots recorded the patch in a later workflow task than its replay reached it in: a query of the
finished run, and a worker replaying it while it ran, failed on "Non-deprecated patch marker encountered".

Saved history (ORCHESTRA_SAVE_HISTORIES=1 saves this run's): start_bounds_asked_now.json, replayed with
test_saved_histories_replay; skips_counted_*.json keep the runs before replaying as they asked."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

from temporalio.client import Client

from orchestra.record import AgentState, ExecutionRecord
from tests.helpers import record_of, start_plan, worker_for
from tests.workflows.test_replay import HISTORIES, _replayer
from workflows.patches_at_start import GATE_PATCH, ORCHESTRATION_PATCHES
from workflows.plan_driver import BOUNDED_STARTS_PATCH, SETTLED_APART_PATCH

SAVED = "start_bounds_asked_now"
SLOTS = 2
STEPS = 40  # over STARTS_PER_TASK, so the bound limits the first task; of 1 s each, a backlog of 20 s on SLOTS

BACKLOG: dict[str, Any] = {
    "name": "backlog",
    "max_parallel": STEPS,
    "nodes": [
        {"id": f"b{i}", "tool": "sleep", "args": {"seconds": 1}, "local": True, "timeout_s": 30} for i in range(STEPS)
    ],
}


def asked_before_any_local_result(history: dict[str, Any]) -> set[str]:
    """The patches a run's history records before its first local activity's result."""
    asked: set[str] = set()
    for event in history["events"]:
        marker = event.get("markerRecordedEventAttributes")
        if marker is None:
            continue
        if marker["markerName"] != "core_patch":
            return asked
        asked.add(json.loads(base64.b64decode(marker["details"]["patch-data"]["payloads"][0]["data"]))["id"])
    return asked


async def test_a_backlog_of_local_steps_replays_when_queried(client: Client, task_queue: str, tmp_path: Path) -> None:
    async with worker_for(client, task_queue, tmp_path, max_concurrent_local_activities=SLOTS):
        handle = await start_plan(client, task_queue, BACKLOG)
        done = ExecutionRecord.model_validate(await handle.result())
        assert done.state == AgentState.COMPLETED and done.metrics.completed == STEPS, done.metrics
        # A query of a finished run replays its whole history on the worker.
        queried = await record_of(handle)
        assert queried.metrics.completed == STEPS
        history = await handle.fetch_history()
    # Asked where a replay asks them too, whatever task it sees the local results in.
    asked = asked_before_any_local_result(json.loads(history.to_json()))
    assert GATE_PATCH in asked and {BOUNDED_STARTS_PATCH, SETTLED_APART_PATCH} <= set(ORCHESTRATION_PATCHES), asked
    if os.environ.get("ORCHESTRA_SAVE_HISTORIES"):
        (HISTORIES / f"{SAVED}.json").write_text(history.to_json())
    await _replayer().replay_workflow(history)
