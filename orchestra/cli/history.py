"""Steps rebuilt from a run's event history: what `history` prints, and what `status` shows for a
natively paused run (while paused, the SDK cannot query it or even parse its status)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel
from temporalio.api.common.v1 import Payload
from temporalio.api.enums.v1 import EventType, PendingActivityState
from temporalio.api.failure.v1 import Failure
from temporalio.api.history.v1 import HistoryEvent
from temporalio.api.workflow.v1 import PendingActivityInfo
from temporalio.client import Client
from temporalio.converter import DataConverter, WorkflowSerializationContext

from orchestra.calls import RunRequest
from orchestra.cli.render import clock, table
from orchestra.control import PAUSE_SIGNAL, PAUSE_UPDATE, RESUME_SIGNAL, RESUME_UPDATE, ControlState, PauseRequest
from orchestra.errors import ErrorKind, ExecutionError
from orchestra.record import AgentState, ExecutionRecord, StepRecord, StepState
from orchestra.refusal import KeyAwaited, error_of, is_refusal
from orchestra.text import duration, one_line

if TYPE_CHECKING:
    from rich.table import Table

    from orchestra.agent.models import AgentExecution  # imported for an agent's run: it brings the LLM client

LOCAL_ACTIVITY_MARKER = "core_local_activity"
TOOL_ACTIVITY = "run_tool"


@dataclass
class ActivityRow:
    """One activity (= one plan step, or the plan's preparation) as the history tells it."""

    node_id: str
    tool: str
    # scheduled, started, completed, failed, timed_out, cancel_requested, canceled, retrying, paused; stopped:
    # still open when the run closed (end_open_rows)
    state: str
    attempts: int = 0
    local: bool = False
    scheduled_at: datetime | None = None
    started_at: datetime | None = None
    closed_at: datetime | None = None
    failure: str | None = None
    failure_type: str | None = None

    @property
    def duration_ms(self) -> float | None:
        begin = self.started_at or self.scheduled_at
        if begin is None or self.closed_at is None:
            return None
        return (self.closed_at - begin).total_seconds() * 1000


class _LocalActivityMarker(BaseModel):
    """The fields of the SDK core's local-activity marker that matter here."""

    attempt: int = 1
    activity_id: str = ""
    activity_type: str = ""
    original_schedule_time: dict[str, int] | None = None

    def scheduled_at(self) -> datetime | None:
        t = self.original_schedule_time
        if not t:
            return None
        return datetime.fromtimestamp(t.get("seconds", 0) + t.get("nanos", 0) / 1e9, tz=UTC)


def _time(event: HistoryEvent) -> datetime:
    return event.event_time.ToDatetime(tzinfo=UTC)


def _summary(client: Client, event: HistoryEvent) -> str | None:
    if not event.HasField("user_metadata") or not event.user_metadata.HasField("summary"):
        return None
    return _text(client, event.user_metadata.summary)


def _text(client: Client, payload: Payload) -> str | None:
    try:
        value = client.data_converter.payload_converter.from_payloads([payload], [str])[0]
    except Exception:
        return None
    return value if isinstance(value, str) else None


def _tool_of(summary: str | None, fallback: str) -> str:
    # The workflow sets each activity's summary to "node: tool".
    if summary and ": " in summary:
        return summary.split(": ", 1)[1]
    return fallback


def _node_of(activity_id: str, activity_type: str) -> str:
    """The workflows name their activities (a plan's node id, an agent's ``step-N.call``); the SDK's
    default ids are sequence numbers, which say less than the activity's type."""
    return activity_type if not activity_id or activity_id.isdigit() else activity_id


def activity_rows(client: Client, events: Iterable[HistoryEvent]) -> list[ActivityRow]:
    """One row per activity, in the order they were scheduled (a local activity is recorded only when it
    ends, so its row is placed by the time it was scheduled)."""
    rows: dict[int, ActivityRow] = {}  # by scheduled event id
    order: list[ActivityRow] = []
    for event in events:
        kind = event.event_type
        if kind == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            attrs = event.activity_task_scheduled_event_attributes
            fallback = attrs.activity_type.name
            node = _node_of(attrs.activity_id, fallback)
            row = ActivityRow(node, _tool_of(_summary(client, event), fallback), "scheduled", scheduled_at=_time(event))
            rows[event.event_id] = row
            order.append(row)
        elif kind == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
            started = event.activity_task_started_event_attributes
            if started_row := rows.get(started.scheduled_event_id):
                started_row.state, started_row.attempts = "started", started.attempt
                started_row.started_at = _time(event)
        elif kind == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
            _close(rows, event.activity_task_completed_event_attributes.scheduled_event_id, "completed", event)
        elif kind == EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
            attrs_f = event.activity_task_failed_event_attributes
            _close(rows, attrs_f.scheduled_event_id, "failed", event, attrs_f.failure)
        elif kind == EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
            attrs_t = event.activity_task_timed_out_event_attributes
            _close(rows, attrs_t.scheduled_event_id, "timed_out", event, attrs_t.failure)
        elif kind == EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED:
            requested = rows.get(event.activity_task_cancel_requested_event_attributes.scheduled_event_id)
            if requested and requested.closed_at is None:
                requested.state = "cancel_requested"
        elif kind == EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED:
            _close(rows, event.activity_task_canceled_event_attributes.scheduled_event_id, "canceled", event)
        elif kind == EventType.EVENT_TYPE_MARKER_RECORDED:
            local = _local_activity(client, event)
            if local is not None:
                order.append(local)
    far = datetime.max.replace(tzinfo=UTC)
    return sorted(order, key=lambda r: r.scheduled_at or r.started_at or r.closed_at or far)


def _close(
    rows: dict[int, ActivityRow], scheduled_id: int, state: str, event: HistoryEvent, failure: Failure | None = None
) -> None:
    row = rows.get(scheduled_id)
    if row is not None:
        row.state, row.closed_at = state, _time(event)
        row.attempts = max(row.attempts, 1)
        if failure is not None:
            row.failure, row.failure_type = _failure_text(failure)


def _failure_text(failure: Failure) -> tuple[str, str | None]:
    """The innermost message (an activity failure wraps the tool's error) and its error type."""
    while failure.message in ("", "activity error", "Activity task failed") and failure.HasField("cause"):
        failure = failure.cause
    kind = failure.application_failure_info.type if failure.HasField("application_failure_info") else None
    if failure.HasField("timeout_failure_info"):
        kind = ErrorKind.TIMEOUT.value
    return failure.message, kind or None


def _local_activity(client: Client, event: HistoryEvent) -> ActivityRow | None:
    """A local activity leaves one marker when it ends (after all its attempts)."""
    attrs = event.marker_recorded_event_attributes
    if attrs.marker_name != LOCAL_ACTIVITY_MARKER or "data" not in attrs.details:
        return None
    try:
        marker = _LocalActivityMarker.model_validate(json.loads(attrs.details["data"].payloads[0].data))
    except (ValueError, IndexError):
        return None
    tool_call = marker.activity_type == TOOL_ACTIVITY
    node = _node_of(marker.activity_id, marker.activity_type)
    failed = attrs.HasField("failure")
    failure_text, failure_type = _failure_text(attrs.failure) if failed else (None, None)
    row = ActivityRow(
        node,
        _tool_of(_summary(client, event), marker.activity_type),
        "failed" if failed else "completed",
        attempts=marker.attempt,
        local=True,
        scheduled_at=marker.scheduled_at(),
        closed_at=_time(event),
        failure=failure_text,
        failure_type=failure_type,
    )
    if not failed and tool_call:
        # The tool's own start/end times travel in its result (ToolResult).
        try:
            result = json.loads(attrs.details["result"].payloads[0].data)
            row.started_at = datetime.fromisoformat(result["started_at"])
            row.closed_at = datetime.fromisoformat(result["ended_at"])
        except (KeyError, IndexError, ValueError, TypeError):
            pass
    return row


def apply_pending(rows: list[ActivityRow], pending: Sequence[PendingActivityInfo]) -> None:
    """Running activities: the history only records their start when they end, describe knows now."""
    by_id = {r.node_id: r for r in rows if r.closed_at is None}
    for info in pending:
        row = by_id.get(info.activity_id)
        if row is None:
            continue
        row.attempts = max(row.attempts, info.attempt)
        if info.state == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED:
            row.state = "started"
            if info.HasField("last_started_time"):
                row.started_at = info.last_started_time.ToDatetime(tzinfo=UTC)
        elif info.HasField("last_failure") and info.last_failure.message:
            row.state, row.failure = "retrying", info.last_failure.message
        elif info.paused:
            row.state = "paused"


def history_table(rows: Sequence[ActivityRow]) -> Table:
    body = [
        [
            r.node_id,
            r.tool + (" (local)" if r.local else ""),
            r.state,
            str(r.attempts) if r.attempts else "",
            clock(r.scheduled_at),
            clock(r.started_at),
            clock(r.closed_at),
            duration(r.duration_ms),
            one_line(r.failure or "", 200),
        ]
        for r in rows
    ]
    headers = ["step", "tool", "state", "attempts", "scheduled", "started", "closed", "duration", "failure"]
    return table(headers, body, wide=["failure"], names=["step", "tool"])


class StepsUnread(Exception):
    """The plan's steps stored outside the run's history were not read back: refused over what a run reads
    (plan_start.refuse_unbounded), or unreadable. ``first`` is the request as its history holds it."""

    def __init__(self, first: RunRequest, why: str) -> None:
        super().__init__(why)
        self.first = first


async def run_request(client: Client, events: Sequence[HistoryEvent]) -> RunRequest | None:
    """The plan the run was started with, from its first event (read through the client's converter: a
    large plan is stored outside the history, and may be encrypted). Raises StepsUnread when the steps stored
    apart cannot be read back (said as "no plan" before: its name "?", no word of the refusal)."""
    if not events or events[0].event_type != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
        return None
    payloads = list(events[0].workflow_execution_started_event_attributes.input.payloads)[:1]
    try:
        [request] = await client.data_converter.decode(payloads, [RunRequest])
    except Exception:
        return None
    if not isinstance(request, RunRequest) or not request.steps_stored:
        return request if isinstance(request, RunRequest) else None
    from orchestra.plan_start import whole  # a large plan's steps after its first piece are stored apart

    try:
        return await whole(client, request)
    except Exception as exc:
        why = one_line(str(exc), 500)  # a validation error quotes what it refused: a line, not the plan
        raise StepsUnread(request, f"its plan's steps stored outside its history are not read: {why}") from None


async def pause_in_history(client: Client, workflow_id: str, events: Iterable[HistoryEvent]) -> ControlState | None:
    """The cooperative pause as the run's last pause or resume left it, or None if it took neither.

    The Web UI's signals and the CLI's updates count alike: a signal is in the history the moment it is
    sent, an update once the run accepted it (a refused one leaves no event). A pause over a pause is
    refused, the first one's reason and time kept, as the run itself does (workflows/control.py). A pause
    or resume signal whose input the run may not read (a stored value not its own, a payload the codec
    cannot decrypt) does not count: the run refused it (orchestra.signal_refusal), and its input is read
    here as the run read it, bound to the workflow."""
    converter = client.data_converter.with_context(WorkflowSerializationContext(client.namespace, workflow_id))
    state: ControlState | None = None
    kind: type[str] | type[PauseRequest]
    for event in events:
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
            signal = event.workflow_execution_signaled_event_attributes
            name, payloads, kind = signal.signal_name, list(signal.input.payloads), str
        elif event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
            request = event.workflow_execution_update_accepted_event_attributes.accepted_request.input
            name, payloads, kind = request.name, list(request.args.payloads), PauseRequest
        else:
            continue
        if kind is str and name in (PAUSE_SIGNAL, RESUME_SIGNAL) and await _refused(converter, payloads):
            continue  # its input cannot be read by the run: the run refused it (signal_refusal)
        if name in (PAUSE_SIGNAL, PAUSE_UPDATE):
            if state is not None and state.paused:
                continue  # the run refuses a pause over a pause, keeping the first one's reason (workflows/control.py)
            reason = await _pause_reason(converter, payloads, kind)
            since = state.paused_at if state is not None and state.paused else _time(event)
            state = ControlState(paused=True, pause_reason=reason, paused_at=since)
        elif name in (RESUME_SIGNAL, RESUME_UPDATE):
            state = ControlState()
    return state


async def _pause_reason(
    converter: DataConverter, payloads: list[Payload], kind: type[str] | type[PauseRequest]
) -> str | None:
    if not payloads:
        return None
    try:  # through the codec: an encrypted run's reason is readable here as in the run
        value = (await converter.decode(payloads, [kind]))[0]
    except Exception:
        return None
    reason = value.reason if isinstance(value, PauseRequest) else value
    return (reason or None) if isinstance(reason, str) else None


async def _refused(converter: DataConverter, payloads: list[Payload]) -> bool:
    """Whether the worker refused a signal with this input (orchestra.signal_refusal), read as it reads it;
    one naming a key this process lacks is taken as read (the worker may have the key)."""
    try:
        read = await converter._decode_reference_payload_sequence(payloads)
        read = await converter._external_retrieve_payload_sequence(read)
        read = await converter._decode_payload_sequence(read)
    except Exception:
        return False  # S3 unreachable, say: as before refusals, the signal counts
    return any(is_refusal(p) and not isinstance(error_of(p), KeyAwaited) for p in read)


_STEP_STATE = {
    "scheduled": StepState.CALLING_TOOL,
    "started": StepState.CALLING_TOOL,
    "retrying": StepState.CALLING_TOOL,
    "paused": StepState.CALLING_TOOL,
    "cancel_requested": StepState.CALLING_TOOL,
    "completed": StepState.COMPLETED,
    "failed": StepState.ERROR,
    "timed_out": StepState.ERROR,
    "canceled": StepState.CANCELLED,
    "stopped": StepState.CANCELLED,
}


async def record_from_history(
    client: Client,
    workflow_id: str,
    run_id: str,
    events: Sequence[HistoryEvent],
    rows: Sequence[ActivityRow],
    state: AgentState = AgentState.PAUSED,
    pause: ControlState | None = None,
    said: Callable[[str], None] | None = None,
) -> ExecutionRecord:
    """An execution record as far as the history shows it (steps never scheduled stay pending); its
    pause fields are the cooperative pause (``pause``: pause_in_history), whatever holds the run natively.
    Why its plan's steps could not be read back, if so, is told to ``said``: its steps are then those its
    events show."""
    try:
        request = first = await run_request(client, events)
    except StepsUnread as unread:
        request, first = None, unread.first
        if said is not None:
            said(str(unread))
    started = _time(events[0]) if events else datetime.now(UTC)
    pause = pause or ControlState()
    record = ExecutionRecord(
        id=workflow_id,
        run_id=run_id,
        plan_name=first.plan.name if first else "?",
        task=first.task if first else None,
        state=state,
        paused=pause.paused,
        pause_reason=pause.pause_reason,
        paused_at=pause.paused_at,
        started_at=started,
    )
    by_node = {r.node_id: r for r in rows}
    if request is not None:
        phase_of, deps = _phases(request)
        for node in request.plan.nodes:
            record.steps.append(_step(node.id, node.tool, phase_of.get(node.id, 0), deps.get(node.id, []), by_node))
        record.steps.sort(key=lambda s: s.phase)
    else:
        record.steps = [_step(r.node_id, r.tool, 0, [], by_node) for r in rows if r.tool != "prepare_plan"]
    record.refresh_metrics()
    return record


# Why a step the history leaves open did not finish, by how its closed run ended (runs.status_name).
_ENDED_BY = {
    "TERMINATED": "the run was terminated",
    "TIMED_OUT": "the run timed out",
    "CANCELED": "the run was cancelled",
    "FAILED": "the run failed",
    "COMPLETED": "the run completed",
    "CONTINUED_AS_NEW": "the run continued as new",
}


def ended_with_run(how: str) -> ExecutionError:
    """Why a step (or a call) a closed run's history leaves open did not finish. ``how`` is the run's
    closing status (runs.status_name)."""
    kind = ErrorKind.TIMEOUT if how == "TIMED_OUT" else ErrorKind.USER_CANCELLED
    return ExecutionError.of(kind, f"stopped: {_ENDED_BY.get(how, 'the run ended')}")


def end_open_steps(record: ExecutionRecord | AgentExecution, how: str) -> None:
    """A closed run's steps (and an agent's calls) still open in its history ended with it: none of them
    is running any more, whatever kind of run it was."""
    if isinstance(record, ExecutionRecord):
        for step in record.steps:
            if step.state in OPEN_STEP_STATES:
                step.state, step.error = StepState.CANCELLED, ended_with_run(how)
        record.refresh_metrics()
        return
    from orchestra.agent.trajectory import refresh

    for agent_step in record.steps:
        if agent_step.state in OPEN_STEP_STATES:
            agent_step.state, agent_step.error = StepState.CANCELLED, ended_with_run(how)
        for call in agent_step.tool_calls:
            if call.state in OPEN_CALL_STATES:
                call.state, call.error = StepState.CANCELLED, ended_with_run(how)
    refresh(record)


def end_open_rows(rows: Sequence[ActivityRow], how: str, closed_at: datetime | None) -> None:
    """A closed run's activities still open in its history ended with it, when it closed: `history` says
    so as `status` and `result` do (end_open_steps), not "started" with no close for ever."""
    for row in rows:
        if row.closed_at is None:
            row.state, row.closed_at = "stopped", closed_at
            row.failure, row.failure_type = ended_with_run(how).message, None


OPEN_STEP_STATES = frozenset({StepState.CALLING_TOOL, StepState.THINKING, StepState.REFLECTING})
# A call not yet run (waiting for its turn or an approval) or running.
OPEN_CALL_STATES = frozenset({StepState.PENDING, StepState.CALLING_TOOL})


def _phases(request: RunRequest) -> tuple[dict[str, int], dict[str, list[str]]]:
    from orchestra.registry import default_registry
    from orchestra.validation import prepare_plan  # here: the validator and its registry, only for a plan's phases

    try:
        prepared = prepare_plan(request.plan, default_registry())
    except Exception:  # a tool only the worker knows: show the plan's own order
        return {}, {n.id: n.depends_on for n in request.plan.nodes}
    return {n: i for i, ids in enumerate(prepared.phases) for n in ids}, prepared.deps


def _step(node_id: str, tool: str, phase: int, deps: list[str], rows: dict[str, ActivityRow]) -> StepRecord:
    step = StepRecord(node_id=node_id, tool=tool, phase=phase, depends_on=deps)
    row = rows.get(node_id)
    if row is None:
        return step
    step.state = _STEP_STATE.get(row.state, StepState.CALLING_TOOL)
    step.attempts, step.scheduled_at, step.started_at, step.ended_at = (
        row.attempts,
        row.scheduled_at,
        row.started_at,
        row.closed_at,
    )
    step.duration_ms = row.duration_ms
    if row.failure and step.state == StepState.ERROR:
        kinds = {k.value for k in ErrorKind}
        kind = ErrorKind(row.failure_type) if row.failure_type in kinds else ErrorKind.TOOL_ERROR
        step.error = ExecutionError.of(kind, row.failure)
    return step
