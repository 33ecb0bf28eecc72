"""A run that hands over while ready steps wait for their batch (STARTS_PER_TASK a workflow task) leaves them to the
next run of its chain, which starts each exactly once: none twice (started here, then again there), none never."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from orchestra.record import ExecutionRecord
from tests.helpers import start_plan, worker_for
from tests.workflows.test_wide_plan_first_task import wide_plan
from workflows.plan_driver import STARTS_PER_TASK

WIDE = 3 * STARTS_PER_TASK + 5


async def test_steps_waiting_for_their_batch_at_a_hand_over_start_once_in_the_next_runs(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    plan = wide_plan(WIDE)
    plan["history_events_per_run"] = 40  # past it after one batch: every run hands over with steps still to start
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, plan)
        record = ExecutionRecord.model_validate(await handle.result())
        scheduled: Counter[str] = Counter()
        for run_id in record.runs:
            history = await client.get_workflow_handle(handle.id, run_id=run_id).fetch_history()
            for event in history.events:
                if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
                    scheduled[event.activity_task_scheduled_event_attributes.activity_id] += 1
    assert record.metrics.completed == WIDE and len(record.runs) >= 3, (record.metrics, record.runs)
    assert scheduled == Counter({f"s{i}": 1 for i in range(WIDE)}), scheduled
