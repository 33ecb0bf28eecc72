"""What a run's own history says its workers did: proof a worker serves it that the server's list of pollers may lack.

The server lists a worker's poller only once a poll of it reaches the queue's partition it asked (about 2 s after a
worker starts, more at load), yet the worker may already be running the run's workflow tasks and steps: the run's
history names it (a workflow task or step it started or ended), and so does a step it runs now (its start and its
heartbeats, the server's DescribeWorkflowExecution: a step's events are written only once it ends).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import HistoryEvent
from temporalio.api.workflowservice.v1 import (
    DescribeWorkflowExecutionRequest,
    GetWorkflowExecutionHistoryReverseRequest,
)
from temporalio.client import Client
from temporalio.service import RPCError

from orchestra.cli.workers_seen import saw

ACT_EVENTS = 20  # the newest events read for acts: few, as each may carry a step's whole result

# Each event a worker's own call writes, with what it did and where the event keeps the worker's identity.
_BY_A_WORKER = {
    EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED: ("started a workflow task", "workflow_task_started"),
    EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED: ("completed a workflow task", "workflow_task_completed"),
    EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED: ("failed a workflow task", "workflow_task_failed"),
    EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED: ("started a step", "activity_task_started"),
    EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: ("completed a step", "activity_task_completed"),
    EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED: ("failed a step", "activity_task_failed"),
    EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED: ("cancelled a step", "activity_task_canceled"),
}


@dataclass(frozen=True)
class Act:
    """Something a worker did on a run, at the server's time."""

    identity: str
    at: datetime
    what: str


async def newest_events(
    client: Client, workflow_id: str, run_id: str, pages: int, page_size: int = 100
) -> AsyncIterator[HistoryEvent]:
    """The run's events, newest first, up to ``pages`` pages of ``page_size``; none more once the history cannot be
    read."""
    request = GetWorkflowExecutionHistoryReverseRequest(
        namespace=client.namespace,
        execution=WorkflowExecution(workflow_id=workflow_id, run_id=run_id),
        maximum_page_size=page_size,
    )
    for _ in range(pages):
        try:
            page = await client.workflow_service.get_workflow_execution_history_reverse(request)
        except RPCError:
            return
        for event in page.history.events:
            yield event
        if not page.next_page_token:
            return
        request.next_page_token = page.next_page_token


async def acts(client: Client, workflow_id: str, run_id: str) -> list[Act]:
    """What workers did on the run lately, newest first: each step running now (its heartbeat or start) and the acts
    among the run's last ACT_EVENTS events (each activation of the run ends in a worker's act: a few events apart).
    Both are asked at once: a run no worker serves is said so sooner."""
    running, recorded = await asyncio.gather(
        _running_steps(client, workflow_id, run_id), _recorded(client, workflow_id, run_id)
    )
    found = running + recorded
    saw(client, *(act.at for act in found))
    return sorted(found, key=lambda act: act.at, reverse=True)


async def _running_steps(client: Client, workflow_id: str, run_id: str) -> list[Act]:
    request = DescribeWorkflowExecutionRequest(namespace=client.namespace)
    request.execution.workflow_id, request.execution.run_id = workflow_id, run_id
    try:
        described = await client.workflow_service.describe_workflow_execution(request)
    except RPCError:
        return []
    found: list[Act] = []
    for step in described.pending_activities:
        beat, started = _when(step.last_heartbeat_time), _when(step.last_started_time)
        if (at := beat or started) is not None and step.last_worker_identity:
            what = f"heartbeat of step {step.activity_id}" if beat else f"started step {step.activity_id}"
            found.append(Act(step.last_worker_identity, at, what))
    return found


async def _recorded(client: Client, workflow_id: str, run_id: str) -> list[Act]:
    found: list[Act] = []
    async for event in newest_events(client, workflow_id, run_id, pages=1, page_size=ACT_EVENTS):
        if event.event_type in _BY_A_WORKER and (at := _when(event.event_time)) is not None:
            what, field = _BY_A_WORKER[event.event_type]
            identity = getattr(event, f"{field}_event_attributes").identity
            if identity:
                found.append(Act(identity, at, what))
    return found


def _when(stamp: Timestamp) -> datetime | None:
    return stamp.ToDatetime(tzinfo=UTC) if stamp.seconds > 0 else None
