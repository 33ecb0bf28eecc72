"""A run's plan is validated on the worker's control queue, not among its local activities: those are one queue
for every run on the worker, first queued first served, and a run started beside another's many short local steps
waited for all of them before its plan was even validated (workflows/control_work.py).

Histories recorded before (``validated_locally_before``: a local activity) and after
(``validated_on_the_control_queue_now``, behind CONTROL_QUEUE_PATCH) both replay on the current code. Save them
again with ORCHESTRA_SAVE_HISTORIES=validated_on_the_control_queue_now (the other on the old code only)."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.client import WorkflowHistory as History

from orchestra.registry import default_registry
from orchestra.storage.step_output import LOCAL_ACTIVITY_MARKER
from tests.helpers import settings_for, start_plan
from tests.workflows.test_handover_in_pieces import HANG_CHECK_S, patches_asked
from tests.workflows.test_replay import HISTORIES, _replayer
from worker import create_worker
from workflows.control_work import CONTROL_QUEUE_PATCH, control_queue

SAVED = {"validated_locally_before": False, "validated_on_the_control_queue_now": True}  # name: the patch asked


def _local_steps(count: int) -> dict[str, Any]:
    nodes = [
        {"id": f"l{i}", "tool": "sleep", "args": {"seconds": 1}, "local": True, "timeout_s": 30} for i in range(count)
    ]
    return {"name": "local-steps", "max_parallel": count, "nodes": nodes}


def _local_steps_scheduled(history: History) -> list[datetime]:
    """When each run_tool local activity of ``history`` was scheduled."""
    times = []
    for e in history.events:
        attributes = e.marker_recorded_event_attributes
        if e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED and attributes.marker_name == LOCAL_ACTIVITY_MARKER:
            data = json.loads(attributes.details["data"].payloads[0].data)
            if data["activity_type"] == "run_tool":
                at = data["original_schedule_time"]
                times.append(datetime.fromtimestamp(at["seconds"] + at["nanos"] / 1e9, UTC).replace(tzinfo=None))
    return times


QUEUED_S = 1.5
ONE_STEP = {"name": "one-step", "nodes": [{"id": "s", "tool": "sleep", "args": {"seconds": 0}}]}


async def test_a_run_is_not_held_by_another_runs_local_steps(client: Client, task_queue: str, tmp_path: Path) -> None:
    """One local activity at a time: eight one-second local steps of one run queue behind each other; a run
    started meanwhile is validated, runs its step and ends while they still do."""
    async with create_worker(
        client, settings_for(task_queue, tmp_path), default_registry(), max_concurrent_local_activities=1
    ):
        busy = await start_plan(client, task_queue, _local_steps(8))
        # Its steps are queued in its first workflow task, which stays open while they run (nothing to poll for):
        # checked below from their markers, so a start too early fails rather than passes.
        await asyncio.sleep(QUEUED_S)
        other = await start_plan(client, task_queue, ONE_STEP)
        await asyncio.wait_for(other.result(), HANG_CHECK_S)
        assert (await busy.describe()).status == WorkflowExecutionStatus.RUNNING, "the other run waited for this one"
        await asyncio.wait_for(busy.result(), HANG_CHECK_S)
    history = await other.fetch_history()
    other_started = history.events[0].event_time.ToDatetime()
    queued_before = [at for at in _local_steps_scheduled(await busy.fetch_history()) if at < other_started]
    assert len(queued_before) == 8, f"{len(queued_before)} of the busy run's steps were queued before the other started"
    queues = [e.activity_task_scheduled_event_attributes.task_queue.name for e in history.events
              if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED]  # fmt: skip
    assert queues[0] == control_queue(task_queue), queues
    for name in os.environ.get("ORCHESTRA_SAVE_HISTORIES", "").split(","):
        if name in SAVED:
            (HISTORIES / f"{name}.json").write_text(history.to_json())


async def test_histories_validated_before_and_on_the_control_queue_replay() -> None:
    for name, patched in SAVED.items():
        history = History.from_json(name, (HISTORIES / f"{name}.json").read_text())
        asked = any(CONTROL_QUEUE_PATCH.encode() in data for data in patches_asked(list(history.events)))
        assert asked == patched, name
        result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{name}: {result.replay_failure}"
