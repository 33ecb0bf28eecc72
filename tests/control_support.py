"""What the control tests of plan runs and agent runs share: a loopback gate that holds a step until the
test releases it, reading histories until an event is there, native pause and unpause, the UI's view.

No helper leans on a step being slow enough: a step that must still be running is held at a gate, and
"the workflow has seen X" is read from the history (a workflow task completed after X's event).
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.enums.v1 import PendingActivityState
from temporalio.api.sdk.v1 import WorkflowMetadata
from temporalio.api.workflowservice.v1 import (
    DescribeWorkflowExecutionRequest,
    DescribeWorkflowExecutionResponse,
    PauseWorkflowExecutionRequest,
    UnpauseWorkflowExecutionRequest,
)
from temporalio.client import Client, WorkflowHandle, WorkflowHistory

# until and WITHIN_S live in tests.helpers (every folder polls); the control tests import them from here too.
from tests.helpers import WITHIN_S as WITHIN_S
from tests.helpers import http_server, json_body
from tests.helpers import until as until

PAUSED_STATUS = 8  # WORKFLOW_EXECUTION_STATUS_PAUSED; the SDK's enum does not know it yet
GATE_TIMEOUT_S = 30  # a safety net only: the test releases the gate itself long before


@dataclass
class Gate:
    url: str
    reached: threading.Event  # a request has arrived (so the step has started)
    open: threading.Event  # set by the test: held requests get their answer

    async def wait_reached(self) -> None:
        assert await asyncio.to_thread(self.reached.wait, WITHIN_S), "the run never called the gated server"


@contextmanager
def gate_server(hold_s: float = GATE_TIMEOUT_S) -> Iterator[Gate]:
    """A loopback server whose requests are held until the test opens the gate (then answered 200).

    A request still held after ``hold_s`` (a safety net) gets a 500, so the step fails visibly; the gate
    opens when the block ends, whatever happens in it, so no handler thread stays blocked (the server
    joins them on close)."""
    held = Gate("", threading.Event(), threading.Event())

    def handler(_request: Any) -> tuple[int, dict[str, str], bytes]:
        held.reached.set()
        if not held.open.wait(hold_s):
            return 500, {}, b"the test never released the gate"
        return json_body({"released": True})

    with http_server(handler) as url:
        held.url = url
        try:
            yield held
        finally:
            held.open.set()


@contextmanager
def gate() -> Iterator[tuple[str, threading.Event]]:
    """``gate_server``'s URL and the event that releases its requests."""
    with gate_server() as held:
        yield held.url, held.open


def scheduled_activity_ids(history: WorkflowHistory) -> list[str]:
    return [
        e.activity_task_scheduled_event_attributes.activity_id
        for e in history.events
        if e.HasField("activity_task_scheduled_event_attributes")
    ]


def completed_event_id(history: WorkflowHistory, activity_id: str) -> int | None:
    """The event id of the ActivityTaskCompleted of ``activity_id``, if it is in the history."""
    scheduled = {
        e.event_id: e.activity_task_scheduled_event_attributes.activity_id
        for e in history.events
        if e.HasField("activity_task_scheduled_event_attributes")
    }
    for e in history.events:
        attributes = e.activity_task_completed_event_attributes
        if (
            e.HasField("activity_task_completed_event_attributes")
            and scheduled.get(attributes.scheduled_event_id) == activity_id
        ):
            return e.event_id
    return None


def reacted_to_completion(activity_id: str) -> Callable[[WorkflowHistory], bool]:
    """True once a workflow task completed after ``activity_id`` completed: whatever the workflow
    decided on seeing the result (scheduling the next step, or not) is in the history from then on."""

    def check(history: WorkflowHistory) -> bool:
        done = completed_event_id(history, activity_id)
        return done is not None and any(
            e.event_id > done and e.HasField("workflow_task_completed_event_attributes") for e in history.events
        )

    return check


def has_event(field: str) -> Callable[[WorkflowHistory], bool]:
    """True once the history holds an event with these attributes (e.g. ``workflow_execution_cancel_requested``)."""
    return lambda history: any(e.WhichOneof("attributes") == f"{field}_event_attributes" for e in history.events)


async def history_until(handle: WorkflowHandle[Any, Any], check: Callable[[WorkflowHistory], bool]) -> WorkflowHistory:
    return await until(handle.fetch_history, check)


def attempts_started(*activity_ids: str) -> Callable[[Any], bool]:
    """For ``until(handle.describe, ...)``: every named activity has an attempt running on a worker."""

    def check(described: Any) -> bool:
        started = {
            a.activity_id
            for a in described.raw_description.pending_activities
            if a.state == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
        }
        return started >= set(activity_ids)

    return check


async def describe_raw(client: Client, workflow_id: str) -> DescribeWorkflowExecutionResponse:
    """Describe through the raw RPC: the SDK's describe() cannot parse a natively paused run's status."""
    request = DescribeWorkflowExecutionRequest(
        namespace=client.namespace, execution=WorkflowExecution(workflow_id=workflow_id)
    )
    return await client.workflow_service.describe_workflow_execution(request)


async def native_status(client: Client, workflow_id: str) -> int:
    return int((await describe_raw(client, workflow_id)).workflow_execution_info.status)


def _pause_fields(client: Client, workflow_id: str) -> dict[str, str]:
    return {"namespace": client.namespace, "workflow_id": workflow_id, "reason": "test", "identity": "test",
            "request_id": str(uuid.uuid4())}  # fmt: skip


async def native_pause(client: Client, workflow_id: str) -> None:
    """Pause as the Web UI's Pause button does, and wait until the server says the run is paused."""
    request = PauseWorkflowExecutionRequest(**_pause_fields(client, workflow_id))
    await client.workflow_service.pause_workflow_execution(request)
    await until(lambda: native_status(client, workflow_id), lambda s: s == PAUSED_STATUS)


async def native_unpause(client: Client, workflow_id: str) -> None:
    request = UnpauseWorkflowExecutionRequest(**_pause_fields(client, workflow_id))
    await client.workflow_service.unpause_workflow_execution(request)


async def cancel_what_finished_while_paused(
    client: Client, handle: WorkflowHandle[Any, Any], release: Callable[[], None], *activity_ids: str
) -> None:
    """The activities (running on a worker) finish while the run is natively paused, then the run is
    cancelled and unpaused: its next workflow task holds their completions and the cancel request."""
    await until(handle.describe, attempts_started(*activity_ids))
    await native_pause(client, handle.id)
    release()
    await history_until(handle, lambda h: all(completed_event_id(h, a) is not None for a in activity_ids))
    await handle.cancel()
    await history_until(handle, has_event("workflow_execution_cancel_requested"))
    await native_unpause(client, handle.id)


async def current_details(handle: WorkflowHandle[Any, Any]) -> str:
    """What the Web UI shows as the run's current details (it asks the same built-in query)."""
    meta = await handle.query("__temporal_workflow_metadata", result_type=WorkflowMetadata)
    return str(meta.current_details)
