"""Steps that wait for their batch (STARTS_PER_TASK a workflow task) when a run hands over or is paused start later,
each exactly once: none twice (started here, then again in the next run), none never, no run left waiting."""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from orchestra.calls import RunRequest
from orchestra.control import PAUSE_SIGNAL
from orchestra.plan import parse_plan
from orchestra.plan_chain import first_run_args
from orchestra.record import ExecutionRecord
from tests.helpers import record_of, start_plan, until, worker_for
from tests.workflows.test_wide_plan_first_task import steps_scheduled_per_task, wide_plan
from workflows.orchestration import OrchestrationWorkflow
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


async def test_a_run_paused_before_its_first_batch_starts_every_batch_once_resumed(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """Paused from its first workflow task (the pause comes with the start), nothing starts; resumed, the ready
    steps start STARTS_PER_TASK a task until all have, each once."""
    plan = wide_plan(WIDE)
    async with worker_for(client, task_queue, tmp_path):
        handle = await client.start_workflow(
            OrchestrationWorkflow.run, args=first_run_args(RunRequest(plan=parse_plan(plan))),
            id=f"paused-{uuid.uuid4()}", task_queue=task_queue, start_signal=PAUSE_SIGNAL, start_signal_args=["held"],
        )  # fmt: skip
        paused = await until(lambda: record_of(handle), lambda r: r.paused)
        assert paused.metrics.tool_call_count == 0, paused.metrics
        await handle.signal(OrchestrationWorkflow.resume)
        record = ExecutionRecord.model_validate(await handle.result())
        history = await handle.fetch_history()
    assert record.metrics.completed == WIDE, record.metrics
    per_task = steps_scheduled_per_task(list(history.events))
    assert max(per_task) <= STARTS_PER_TASK and sum(per_task) == WIDE, per_task
