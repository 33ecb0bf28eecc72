"""A cancel (the user's, or the plan's deadline) reaches a step with a long heartbeat timeout within seconds, on the
worker as shipped (worker.WORKER_TUNING). Before, the SDK sent a step's heartbeats, which carry the cancel back, at
most every 80% of its heartbeat timeout capped at 60 s: a step with heartbeat_timeout_s 120 heard it a minute late."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError, WorkflowHandle
from temporalio.exceptions import CancelledError

from orchestra.errors import ErrorKind
from orchestra.record import AgentState, ExecutionRecord, StepState
from tests.helpers import record_of, start_plan, wait_for_step, worker_for

LONG_HEARTBEAT = {"tool": "sleep", "args": {"seconds": 600}, "heartbeat_timeout_s": 120, "retry": {"max_attempts": 1}}
# A ceiling for a hung test: below the 60 s the old throttle made the step wait for its cancel, far above the
# seconds it takes now.
ENDS_WITHIN_S = 40


async def ended(handle: WorkflowHandle[Any, Any]) -> WorkflowFailureError:
    with pytest.raises(WorkflowFailureError) as failure:
        await asyncio.wait_for(handle.result(), ENDS_WITHIN_S)
    return failure.value


def stopped(record: ExecutionRecord) -> None:
    assert record.step("long").state == StepState.CANCELLED, record.step("long")


async def test_a_cancel_stops_a_step_with_a_long_heartbeat_timeout_soon(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    plan = {"name": "cancel-long-heartbeat", "nodes": [{"id": "long", **LONG_HEARTBEAT}]}
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, plan)
        await wait_for_step(handle, "long", {StepState.CALLING_TOOL})
        await handle.cancel()
        failure = await ended(handle)
        record = await record_of(handle)
    assert isinstance(failure.cause, CancelledError), failure.cause
    assert record.state == AgentState.CANCELLED, record.state
    stopped(record)


async def test_the_deadline_stops_a_step_with_a_long_heartbeat_timeout_soon(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    plan = {"name": "deadline-long-heartbeat", "timeout_s": 3, "nodes": [{"id": "long", **LONG_HEARTBEAT}]}
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, plan)
        failure = await ended(handle)
        record = await record_of(handle)
    assert getattr(failure.cause, "type", None) == ErrorKind.TIMEOUT, failure.cause
    assert record.state == AgentState.ERROR, record.state
    stopped(record)
