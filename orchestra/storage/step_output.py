"""A step's full output, wherever it is: in the record, in external storage, or in the history of the run
of the chain that ran it.

The record keeps a preview of each output (``StepRecord.output``, cut at the record's preview size). A
large output is stored on its own and the record carries its ``output_ref``; one between the preview
size and the storage threshold is only whole in the history, in the result of the step's ``run_tool``
call, in the run ``StepRecord.run_index`` names.
"""

from __future__ import annotations

import json
from typing import Any

from temporalio.api.common.v1 import Payload
from temporalio.api.enums.v1 import EventType
from temporalio.api.failure.v1 import Failure
from temporalio.client import Client
from temporalio.exceptions import ApplicationError

from orchestra.calls import ToolResult
from orchestra.record import ExecutionRecord, StepRecord, StepState
from orchestra.storage.step_chunks import whole_record
from orchestra.storage.values import load_value
from orchestra.text import did_you_mean

TOOL_ACTIVITY = "run_tool"
LOCAL_ACTIVITY_MARKER = "core_local_activity"


class NoOutput(LookupError):
    pass


class UnknownStep(NoOutput):
    """A step the run does not have: a name mistyped, not an output missing."""


async def step_output(client: Client, record: ExecutionRecord, node_id: str) -> Any:
    """The full output of step ``node_id`` of the run ``record`` describes (read with ``client``'s converter)."""
    record = await whole_record(client.data_converter, record)
    try:
        step = record.step(node_id)
    except KeyError:
        noted = next((step for step in record.steps_noted if step.node_id == node_id), None)
        if noted is not None and noted.state != StepState.COMPLETED:
            raise NoOutput(_why_none(noted)) from None
        if record.steps_not_listed:  # its last steps left out to fit its value limit: the last run ran them
            return await _from_history(client, record.id, record.run_id, node_id)
        near = did_you_mean(node_id, [step.node_id for step in record.steps])
        raise UnknownStep(f"run {record.id} has no step {node_id!r}{near}") from None
    if step.state != StepState.COMPLETED:
        raise NoOutput(_why_none(step))
    if step.output_ref is not None:
        return await load_value(client.data_converter, step.output_ref)
    if not step.output_truncated:
        return step.output
    run_id = record.runs[step.run_index] if step.run_index < len(record.runs) else record.run_id
    return await _from_history(client, record.id, run_id, node_id)


def _why_none(step: StepRecord) -> str:
    """Why a step that did not complete has no output: a failed one's error said ("holds no result" left a reader to
    guess the step had failed, and why)."""
    said = "it failed" if step.state == StepState.ERROR else f"it is {step.state.value}"
    if step.error is not None:  # a cancelled step's too: "run cancelled", "run deadline reached"
        return f"step {step.node_id!r} has no output: {said}: {step.error.type.value}: {step.error.message}"
    if step.skip_reason:
        return f"step {step.node_id!r} has no output: {said}: {step.skip_reason}"
    return f"step {step.node_id!r} has no output: {said}"


async def _from_history(client: Client, workflow_id: str, run_id: str, node_id: str) -> Any:
    """The last successful ``run_tool`` result for the node: its own call, or the fallback that served it."""
    scheduled: set[int] = set()
    found: Payload | None = None
    failure: Failure | None = None  # its last try's, for a step past the record's listing and its noted ones
    async for event in client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history_events():
        kind = event.event_type
        if kind == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            attrs = event.activity_task_scheduled_event_attributes
            if attrs.activity_type.name == TOOL_ACTIVITY and _serves(attrs.activity_id, node_id):
                scheduled.add(event.event_id)
        elif kind == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
            done = event.activity_task_completed_event_attributes
            if done.scheduled_event_id in scheduled and done.result.payloads:
                found = done.result.payloads[0]
        elif kind == EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
            failed = event.activity_task_failed_event_attributes
            if failed.scheduled_event_id in scheduled:
                failure = failed.failure
        elif kind == EventType.EVENT_TYPE_MARKER_RECORDED:
            marker = event.marker_recorded_event_attributes
            if marker.marker_name != LOCAL_ACTIVITY_MARKER or "data" not in marker.details:
                continue
            data = json.loads(marker.details["data"].payloads[0].data)
            if data.get("activity_type") != TOOL_ACTIVITY or not _serves(str(data.get("activity_id", "")), node_id):
                continue
            if "result" in marker.details:
                found = marker.details["result"].payloads[0]
            elif marker.HasField("failure"):
                failure = marker.failure
    if found is None and failure is not None:
        error = await client.data_converter.decode_failure(failure)
        typed = f"{error.type}: " if isinstance(error, ApplicationError) and error.type else ""
        raise NoOutput(f"step {node_id!r} has no output: it failed: {typed}{error}")
    if found is None:
        raise NoOutput(f"the history of run {run_id} of {workflow_id} holds no result of step {node_id!r}")
    [result] = await client.data_converter.decode([found], [ToolResult])
    assert isinstance(result, ToolResult)
    if result.output_ref is not None:
        return await load_value(client.data_converter, result.output_ref)
    return result.output


def _serves(activity_id: str, node_id: str) -> bool:
    # The node's own call is ``node``; a fallback tool's is ``node.tool``; the undo is ``node.compensate``.
    return activity_id == node_id or (activity_id.startswith(node_id + ".") and not activity_id.endswith(".compensate"))
