"""A run of a chain hands over cleanly: the server accepts its continue-as-new the first time. A timer
left pending when a run closes can fire while the closing workflow task runs; the server then refuses
the close (UnhandledCommand) and the task is run again. The run's search-attribute refresh timer was such
a timer (bench.plan_scale showed a TimerFired of "refresh search attributes" buffered in the failed task)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from temporalio import activity
from temporalio.api.enums.v1 import EventType, WorkflowTaskFailedCause
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client

from activities.values import ValueActivities
from orchestra.record import AgentState, ExecutionRecord
from orchestra.storage.stored import StoredValue
from tests.helpers import start_plan, worker_for
from workflows.search_index import INDEX_COUNTERS_EVERY

STEPS = 18
_store = ValueActivities.store_values


@activity.defn(name="store_values")
async def store_slowly(self: ValueActivities, values: list[Any]) -> list[StoredValue] | None:
    """The hand-over's store, held open past the refresh interval: a refresh timer still pending when
    the run hands over fires while the hand-over's workflow task runs, every time rather than by chance."""
    await asyncio.sleep(INDEX_COUNTERS_EVERY.total_seconds() + 0.2)
    return await _store(self, values)


async def run_histories(client: Client, workflow_id: str, runs: list[str]) -> list[list[HistoryEvent]]:
    return [[e async for e in client.get_workflow_handle(workflow_id, run_id=r).fetch_history_events()] for r in runs]


def failed_tasks(events: list[HistoryEvent]) -> list[str]:
    failed = [e.workflow_task_failed_event_attributes for e in events
              if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED]  # fmt: skip
    return [f"{WorkflowTaskFailedCause.Name(f.cause)}: {f.failure.message}" for f in failed]


def timers_left_pending(events: list[HistoryEvent]) -> set[int]:
    """Timers the run started and neither saw fire nor cancelled before it closed."""
    started = {e.event_id for e in events if e.event_type == EventType.EVENT_TYPE_TIMER_STARTED}
    fired = {e.timer_fired_event_attributes.started_event_id for e in events
             if e.event_type == EventType.EVENT_TYPE_TIMER_FIRED}  # fmt: skip
    canceled = {e.timer_canceled_event_attributes.started_event_id for e in events
                if e.event_type == EventType.EVENT_TYPE_TIMER_CANCELED}  # fmt: skip
    return started - fired - canceled


async def test_every_run_of_a_chain_closes_without_a_refused_workflow_task(
    client: Client, task_queue: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ValueActivities, "store_values", store_slowly)
    steps = [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, **({"depends_on": [f"s{i - 1}"]} if i else {})}
             for i in range(STEPS)]  # fmt: skip
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(
            client, task_queue, {"name": "handover", "history_events_per_run": 40, "nodes": steps}
        )
        record = ExecutionRecord.model_validate(await handle.result())
    assert record.state == AgentState.COMPLETED and len(record.runs) >= 3, record.runs
    histories = await run_histories(client, handle.id, record.runs)
    assert {i: failed_tasks(h) for i, h in enumerate(histories) if failed_tasks(h)} == {}
    assert {i: timers_left_pending(h) for i, h in enumerate(histories) if timers_left_pending(h)} == {}
