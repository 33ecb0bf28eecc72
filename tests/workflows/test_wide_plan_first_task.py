"""A plan whose steps are all ready at once starts them STARTS_PER_TASK a workflow task, not all in its first task:
each start costs the task its call resolved, measured and encoded, and a task past its timeout is redone whole. A
plan 1,000 wide under a 1 s task timeout started every step in one task, which took 13.8 s on a loaded machine: it
timed out and was redone the same way for ever (20 timeouts in 150 s, a run that never ended). Bounded, each task
stays small and the run completes.

Saved histories (ORCHESTRA_SAVE_HISTORIES=1 saves this run's): wide_starts_bounded_now.json (recorded by this code),
wide_starts_in_one_task_before.json (by the code before, with a task timeout it met); both replay with
test_saved_histories_replay."""

from __future__ import annotations

import asyncio
import os
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHandle

from orchestra.calls import RunRequest
from orchestra.plan import parse_plan
from orchestra.plan_chain import first_run_args
from orchestra.record import ExecutionRecord
from tests.helpers import worker_for
from tests.workflows.test_replay import HISTORIES, _replayer
from workflows.orchestration import OrchestrationWorkflow
from workflows.plan_driver import STARTS_PER_TASK

WIDE = 300  # the old code's first task of 300 starts took 1-6 s (1,000: 14 s, never ended), past a 1 s task timeout
# Past it the run is not going to end: the old code's first task was redone every second for as long as one waited.
PATIENCE_S = 240
REPLAYED = 3 * STARTS_PER_TASK  # wide enough to start in three tasks, small enough to keep its history
SAVED = "wide_starts_bounded_now"


def wide_plan(steps: int) -> dict[str, Any]:
    nodes = [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}} for i in range(steps)]
    return {"name": "wide", "max_parallel": steps, "nodes": nodes}


async def start_with_task_timeout(
    client: Client, task_queue: str, plan: dict[str, Any], timeout: timedelta
) -> WorkflowHandle[Any, Any]:
    return await client.start_workflow(
        OrchestrationWorkflow.run, args=first_run_args(RunRequest(plan=parse_plan(plan))),
        id=f"wide-{uuid.uuid4()}", task_queue=task_queue, task_timeout=timeout,
    )  # fmt: skip


def steps_scheduled_per_task(events: list[Any]) -> list[int]:
    """How many activities each workflow task that scheduled any scheduled."""
    counts: list[int] = []
    for event in events:
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
            counts.append(0)
        elif event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED and counts:
            counts[-1] += 1
    return [c for c in counts if c]


async def test_a_wide_plan_starts_its_steps_a_bounded_number_a_task_and_completes_under_a_short_task_timeout(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_with_task_timeout(client, task_queue, wide_plan(WIDE), timedelta(seconds=1))
        raw = await asyncio.wait_for(handle.result(), PATIENCE_S)
        history = await handle.fetch_history()
    record = ExecutionRecord.model_validate(raw)
    assert record.metrics.completed == WIDE, record.metrics
    per_task = steps_scheduled_per_task(list(history.events))
    assert max(per_task) <= STARTS_PER_TASK and sum(per_task) == WIDE, per_task


async def test_a_wide_plan_started_in_bounded_tasks_replays(client: Client, task_queue: str, tmp_path: Path) -> None:
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_with_task_timeout(client, task_queue, wide_plan(REPLAYED), timedelta(seconds=60))
        await handle.result()
        history = await handle.fetch_history()
    assert max(steps_scheduled_per_task(list(history.events))) <= STARTS_PER_TASK
    if os.environ.get("ORCHESTRA_SAVE_HISTORIES"):
        (HISTORIES / f"{SAVED}.json").write_text(history.to_json())
    await _replayer().replay_workflow(history)


async def test_steps_held_by_a_tool_limit_or_skipped_by_their_conditions_count_against_the_bound_too(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """Variants of the same work: steps a condition skips are settled within the bound, and steps a tool's own
    concurrency limit holds start later without a task that waits on nothing."""
    plan = wide_plan(REPLAYED)
    for node in plan["nodes"][::2]:
        node["condition"] = "1 == 2"
    plan["tool_concurrency"] = {"sleep": STARTS_PER_TASK + 8}
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_with_task_timeout(client, task_queue, plan, timedelta(seconds=60))
        record = ExecutionRecord.model_validate(await handle.result())
        history = await handle.fetch_history()
    assert (record.metrics.completed, record.metrics.skipped) == (REPLAYED // 2, REPLAYED // 2), record.metrics
    assert max(steps_scheduled_per_task(list(history.events))) <= STARTS_PER_TASK
