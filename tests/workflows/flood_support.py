"""Floods of large signals, as anyone who may signal a run can send them: from a plain Temporal client, whose inputs
are in the run's history whole (it stores nothing outside it)."""

from __future__ import annotations

from typing import Any

import temporalio.converter
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowFailureError, WorkflowHandle, WorkflowHistory
from temporalio.service import RPCError, RPCStatusCode

from orchestra.control import PAUSE_SIGNAL
from orchestra.record import ExecutionRecord, StepState
from tests.helpers import until


async def flood(client: Client, workflow_id: str, signals: int, size: int, signal: str = PAUSE_SIGNAL) -> None:
    """``signals`` signals of ``size`` bytes to the workflow's latest run, from a plain Temporal client; stops early,
    without error, once the workflow has ended (no run left to take them)."""
    config = client.config()
    config["data_converter"] = temporalio.converter.default()
    plain = Client(**config).get_workflow_handle(workflow_id)
    for at in range(signals):
        try:
            await plain.signal(signal, f"{at}" + "x" * size)
        except RPCError as err:
            assert err.status == RPCStatusCode.NOT_FOUND, err  # the run ended, not refused by a limit
            return


async def until_a_step_runs(handle: WorkflowHandle[Any, Any]) -> None:
    async def running() -> bool:
        record = await handle.query("record", result_type=ExecutionRecord)
        return record is not None and any(s.state == StepState.CALLING_TOOL for s in record.steps)

    await until(running)


def recorded(failed: WorkflowFailureError) -> Any:
    """The record a run that failed itself kept in its failure's details (as JSON)."""
    details = getattr(failed.cause, "details", ())
    assert details, f"the run ended unrecorded: {failed.cause}"
    return details[0]


def completed_in(history: WorkflowHistory) -> set[str]:
    """The activity ids (a plan step's is its node id) of the activities that completed in ``history``."""
    scheduled = {
        e.event_id: e.activity_task_scheduled_event_attributes.activity_id
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
    }
    return {
        scheduled[e.activity_task_completed_event_attributes.scheduled_event_id]
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
    }


def assert_stop_recorded_truly(record: ExecutionRecord, history: WorkflowHistory) -> None:
    """A run stopped at its history's bound says what it did: each step whose activity completed in its history
    with that result, and as many steps "still running" as it cut short (at least one: else it would hand over)."""
    for node_id in completed_in(history):
        assert record.step(node_id).state == StepState.COMPLETED, record.step(node_id)
    cut = [s.node_id for s in record.steps if s.state == StepState.CANCELLED and s.error is not None]
    assert record.error is not None and record.error.code == "history_too_large", record.error
    assert cut and f"{len(cut)} step(s) still running" in record.error.message, (cut, record.error.message)
