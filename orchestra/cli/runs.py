"""Reading a run of any kind — a plan run, a task run, an agent run — whatever its state: the one place
every command asks what a run is, where it stands and what its record says.

Status is always read through the raw ``describe_workflow_execution`` RPC: while a workflow is
natively paused (status 8) the SDK's ``handle.describe()`` and ``handle.query()`` raise
``ValueError: 8 is not a valid WorkflowExecutionStatus``, and a paused workflow cannot answer a query
anyway. Its record is then rebuilt from its history: a plan run's from the activity events and the
plan it was started with (history.py), an agent run's by replaying the history with the workflow's own
code (agent_chain.py). Records are read tolerantly: fields added to them later are kept, not refused.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeAlias

from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.enums.v1 import EventType, WorkflowExecutionStatus, WorkflowTaskFailedCause
from temporalio.api.history.v1 import HistoryEvent
from temporalio.api.workflow.v1 import PendingActivityInfo
from temporalio.api.workflowservice.v1 import (
    DescribeWorkflowExecutionRequest,
    GetWorkflowExecutionHistoryReverseRequest,
)
from temporalio.client import Client, WorkflowFailureError, WorkflowQueryFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError

from orchestra.cli import workers_seen
from orchestra.cli.context import Context, rpc_problem, run_missing
from orchestra.cli.history import (
    ActivityRow,
    activity_rows,
    apply_pending,
    end_open_rows,
    end_open_steps,
    pause_in_history,
    record_from_history,
)
from orchestra.cli.naming import argument, named
from orchestra.cli.second_look import ONE_SHOT_LOOK_S, WATCH_LOOK_S, last_act_said, unserved_run
from orchestra.cli.worker_advice import how_to_serve
from orchestra.cli.workers_seen import PollersUnknown, Seen, saw, server_now_at_least
from orchestra.cli.workers_seen import seen as seen_by_server
from orchestra.converter import UNREADABLE_TYPE
from orchestra.record import FINISHED_RUN_STATES, AgentState, ExecutionRecord
from orchestra.storage.step_chunks import ChunkUnreadable, whole_record

if TYPE_CHECKING:
    # Imported where a run of their kind is read: the agent's models bring the LLM client (httpx) and the
    # planner's bring the whole analysis, which every command importing this module paid at start-up
    # (`cancel`, `list`, `status` of a plan run: a second of a 1.5 s command).
    from orchestra.agent.models import AgentExecution
    from orchestra.planning.models import PlanningResult

RECORD_QUERY = "record"
PLANNING_QUERY = "planning"
POLL_INTERVAL_S = 0.5
QUIET_POLL_INTERVAL_S = 2.0  # `watch` of a run that cannot change unseen (natively paused, unserved): its polls spaced
QUERY_TIMEOUT = timedelta(seconds=5)
NO_ANSWER_HINT_AFTER_S = 10.0

RUNNING = WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
COMPLETED = WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED
CONTINUED_AS_NEW = WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW
# Not in older enums: the value is what the server sends for a natively paused workflow.
PAUSED = 8

Record: TypeAlias = "ExecutionRecord | AgentExecution"


class Kind(StrEnum):
    PLAN = "plan"
    TASK = "task"
    AGENT = "agent"
    OTHER = "other"


WORKFLOW_TYPES = {Kind.PLAN: "OrchestrationWorkflow", Kind.TASK: "TaskWorkflow", Kind.AGENT: "AgentWorkflow"}
KIND_OF = {name: kind for kind, name in WORKFLOW_TYPES.items()}
# The runs a user starts (not the tool-health entity workflow), for `list` and `stats`.
RUNS_QUERY = "WorkflowType IN ({})".format(", ".join(f"'{t}'" for t in WORKFLOW_TYPES.values()))

# What a run's Temporal status says about it when only the history is there to read.
_STATE_OF_STATUS = {
    RUNNING: AgentState.RUNNING,
    PAUSED: AgentState.PAUSED,
    COMPLETED: AgentState.COMPLETED,
    WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED: AgentState.CANCELLED,
}


def status_name(status: int) -> str:
    if status == PAUSED:
        return "PAUSED"
    try:
        return WorkflowExecutionStatus.Name(status).removeprefix("WORKFLOW_EXECUTION_STATUS_")  # type: ignore[arg-type]
    except ValueError:
        return str(status)


def task_child_id(workflow_id: str) -> str:
    """The id TaskWorkflow gives the plan run it starts."""
    return f"{workflow_id}-run"


@dataclass
class RunStatus:
    workflow_id: str
    run_id: str
    status: int
    task_queue: str
    workflow_type: str
    start_time: datetime | None
    close_time: datetime | None
    pending: list[PendingActivityInfo] = field(default_factory=list)
    cancel_requested: bool = False
    native_pause_reason: str | None = None
    history_length: int = 0
    task_attempt: int = 0  # the pending workflow task's attempt: over 1 once a task failed or timed out
    first_run_id: str = (
        ""  # the first run of its chain: a run continued as new keeps it, a new run under the id does not
    )

    @property
    def task_retrying(self) -> bool:
        """The run's workflow task failed (or timed out) and is being tried again: the run makes no progress."""
        return not self.closed and self.task_attempt > 1

    @property
    def name(self) -> str:
        return status_name(self.status)

    @property
    def kind(self) -> Kind:
        return KIND_OF.get(self.workflow_type, Kind.OTHER)

    @property
    def natively_paused(self) -> bool:
        return self.status == PAUSED

    @property
    def closed(self) -> bool:
        return self.status not in (RUNNING, PAUSED)

    @property
    def completed(self) -> bool:
        return self.status == COMPLETED


@dataclass
class RunView:
    """A run as far as it can be read now: its status, its record, and why anything is missing."""

    status: RunStatus
    record: Record | None = None
    planning: PlanningResult | None = None  # task runs: how the task became a plan
    plan_run: RunStatus | None = None  # task runs: the plan run the task started, if any
    problem: str | None = None  # why the run failed without a record, or why the record is not shown
    rebuilt: bool = False  # the record comes from the history, not from the workflow itself
    stuck: str | None = None  # why the run's workflow task keeps failing (runs.task_problem)
    no_worker: str | None = None  # why the open run was not asked: no worker polls its task queue (unserved_note)


async def describe(ctx: Context, workflow_id: str, run_id: str = "") -> RunStatus:
    """The run ``run_id`` of ``workflow_id``; with none, its latest run."""
    client = await ctx.client()
    request = DescribeWorkflowExecutionRequest(namespace=ctx.settings.namespace)
    request.execution.workflow_id = workflow_id
    request.execution.run_id = run_id
    try:
        response = await client.workflow_service.describe_workflow_execution(request)
    except RPCError as exc:
        raise rpc_problem(exc, ctx.settings, workflow_id) from None
    info, extended = response.workflow_execution_info, response.workflow_extended_info

    def when(has: bool, value: Any) -> datetime | None:
        return value.ToDatetime(tzinfo=UTC) if has else None

    pause = extended.pause_info if extended.HasField("pause_info") else None
    task = response.pending_workflow_task if response.HasField("pending_workflow_task") else None
    # What the server has certainly lived through (workers_seen): not an activity's scheduled time, a retry's future.
    lived = [info.start_time, *((task.scheduled_time, task.started_time) if task else ())]
    for activity in response.pending_activities:
        lived += [activity.last_started_time, activity.last_heartbeat_time, activity.last_attempt_complete_time]
    saw(client, *lived)
    return RunStatus(
        workflow_id=info.execution.workflow_id,
        run_id=info.execution.run_id,
        status=info.status,
        task_queue=info.task_queue,
        workflow_type=info.type.name,
        start_time=when(info.HasField("start_time"), info.start_time),
        close_time=when(info.HasField("close_time"), info.close_time),
        pending=list(response.pending_activities),
        cancel_requested=extended.cancel_requested,
        native_pause_reason=(pause.reason or None) if pause else None,
        history_length=info.history_length,
        task_attempt=task.attempt if task else 0,
        first_run_id=info.first_run_id or info.execution.run_id,
    )


async def task_problem(ctx: Context, status: RunStatus) -> str | None:
    """Why a run's workflow task keeps being retried: the last failed or timed-out workflow task in its
    history (read from the end), with the attempt count describe gives. None while tasks succeed."""
    if not status.task_retrying:
        return None
    client = await ctx.client()
    request = GetWorkflowExecutionHistoryReverseRequest(
        namespace=ctx.settings.namespace,
        execution=WorkflowExecution(workflow_id=status.workflow_id, run_id=status.run_id),
        maximum_page_size=100,
    )
    why = "no failure recorded yet"
    try:
        for _ in range(10):  # the failure is among the last events: a few pages at most
            page = await client.workflow_service.get_workflow_execution_history_reverse(request)
            found = next((e for e in page.history.events if e.event_type in _TASK_FAILURES), None)
            if found is not None:
                why = _task_failure_text(found)
                break
            if not page.next_page_token:
                break
            request.next_page_token = page.next_page_token
    except RPCError as exc:
        why = f"its history could not be read ({exc.message})"
    return (
        f"its workflow task has been tried {status.task_attempt} times and keeps failing ({why}): the worker "
        "cannot make progress on this run, and a cancellation cannot take effect until a task succeeds"
    )


_TASK_FAILURES = (EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT)


def _task_failure_text(event: HistoryEvent) -> str:
    if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT:
        return "timed out: a worker took the task and did not answer in time"
    failed = event.workflow_task_failed_event_attributes
    cause = WorkflowTaskFailedCause.Name(failed.cause).removeprefix("WORKFLOW_TASK_FAILED_CAUSE_")
    failure = failed.failure
    while not failure.message and failure.HasField("cause"):
        failure = failure.cause
    return f"{cause}: {failure.message[:500]}" if failure.message else cause


async def _query(client: Client, status: RunStatus, name: str, kind: type[Any], failed: list[str] | None = None) -> Any:
    """The workflow's answer to a query, or None if it cannot answer now (no worker, paused, gone); the worker's
    failure to answer (a large run's query past its deadlock timeout, at load) added to ``failed``."""
    handle = client.get_workflow_handle(status.workflow_id, run_id=status.run_id)
    try:
        value = await handle.query(name, result_type=kind, rpc_timeout=QUERY_TIMEOUT)
    except WorkflowQueryFailedError as exc:
        if failed is not None:
            failed.append(str(exc))
        return None
    except (RPCError, ValueError, RuntimeError):
        return None
    return value if isinstance(value, kind) else None


def record_type(kind: Kind) -> type[ExecutionRecord] | type[AgentExecution]:
    if kind != Kind.AGENT:
        return ExecutionRecord
    from orchestra.agent.models import AgentExecution

    return AgentExecution


async def history_events(ctx: Context, workflow_id: str, run_id: str | None = None) -> list[HistoryEvent]:
    client = await ctx.client()
    handle = client.get_workflow_handle(workflow_id, run_id=run_id)
    try:
        return [event async for event in handle.fetch_history_events()]
    except RPCError as exc:
        raise rpc_problem(
            exc, ctx.settings, workflow_id, missing=run_missing(workflow_id, run_id) if run_id else None
        ) from None


async def history_view(ctx: Context, status: RunStatus) -> tuple[list[ActivityRow], ExecutionRecord]:
    """Activity rows and a plan record rebuilt from the history (plus describe's pending activities): of
    every run of the chain when the run continued as new."""
    from orchestra.cli.agent_chain import chain_run_ids

    client = await ctx.client()
    try:
        run_ids = await chain_run_ids(client, status.workflow_id, status.run_id)
    except RPCError as exc:  # the latest run was just described: one before it is gone
        raise rpc_problem(exc, ctx.settings, missing=run_missing(status.workflow_id)) from None
    rows: list[ActivityRow] = []
    every: list[HistoryEvent] = []
    first: list[HistoryEvent] = []
    for run_id in run_ids:
        events = await history_events(ctx, status.workflow_id, run_id)
        first = first or events
        every += events
        rows += activity_rows(client, events)  # event ids start again in each run
    apply_pending(rows, status.pending)
    state = _STATE_OF_STATUS.get(status.status, AgentState.ERROR)
    # A run that ended holds no pause; one a chain carries was taken by an earlier run.
    pause = None if status.closed else await pause_in_history(client, status.workflow_id, every)
    record = await record_from_history(
        client, status.workflow_id, status.run_id, first, rows, state, pause,
        said=lambda why: ctx.note_once(f"  … {named(status.workflow_id)}: {why}; shown are the steps its events name"),
    )  # fmt: skip
    if status.closed:
        end_open_steps(record, status_name(status.status))
        end_open_rows(rows, status_name(status.status), status.close_time)
    return rows, record


# Runs never asked for their record, as not_replayed_note and a chain's refusal name them.
CLOSED_RUN = "a closed run"
PAUSED_RUN = "a natively paused run (the server refuses its queries)"
UNSERVED_RUN = "a run no worker polls for"


def not_replayed_note(workflow_id: str, *, not_asked: str | None = None) -> str:
    """What is said before an open run whose history does not replay here is asked for its record (a wait), or
    of one never asked (``not_asked``: a closed run, a natively paused one), that only what its history says of
    it without its code can be shown."""
    said = f"  … {named(workflow_id)}'s history does not replay here (its workflow code changed since?): "
    if not_asked:
        return said + f"{not_asked} is not asked; shown is what its events alone say"
    return said + f"asking a worker for its record, for up to {QUERY_TIMEOUT.total_seconds():.0f} s"


async def replayed_agent_record(ctx: Context, status: RunStatus) -> AgentExecution | None:
    """An agent run's record as its worker has it, from replaying its history here (no worker needed, none
    asked: only an open run that is not paused answers, and record_view asks that one itself)."""
    from orchestra.cli.agent_chain import ChainError, run_records

    client = await ctx.client()
    try:
        async for record in run_records(client, status.workflow_id, [status.run_id], None, ctx.settings.task_queue):
            return record
    except ChainError:
        return None
    return None


async def replayed_record(ctx: Context, status: RunStatus) -> Record | None:
    """A closed run's own record from replaying its history here (no worker needed), None if it does not replay.
    Raises InputUnreadableHere when this client's settings, not the code, keep it from replaying."""
    from orchestra.cli.replayed import replayed_plan_record

    if status.kind == Kind.AGENT:
        return await replayed_agent_record(ctx, status)
    return await replayed_plan_record(await ctx.client(), status.workflow_id, status.run_id)


async def _closed_result(ctx: Context, status: RunStatus, kind: type[Any]) -> tuple[Any, str | None]:
    """A closed run's result, or the record attached to its failure, and the failure's message."""
    client = await ctx.client()
    handle = client.get_workflow_handle(status.workflow_id, run_id=status.run_id, result_type=kind)
    try:
        return await handle.result(follow_runs=False), None
    except WorkflowFailureError as failure:
        cause = failure.cause
        message = str(cause.message) if hasattr(cause, "message") else str(cause)
        if isinstance(cause, ApplicationError) and cause.details:
            try:
                return kind.model_validate(cause.details[0]), message
            except ValueError:
                pass
        return None, message
    except RPCError as exc:
        raise rpc_problem(exc, ctx.settings, missing=run_missing(status.workflow_id, status.run_id)) from None
    except ApplicationError as exc:
        if exc.type != UNREADABLE_TYPE:
            raise
        # Its end's payloads cannot be read with this client's settings (no codec key): a traceback. Its record is
        # then replayed from its history, which says why it cannot be either.
        return None, None


def ended_with_the_run(record: AgentExecution, status: RunStatus) -> None:
    """A closed agent run's record replayed from its history, which stops where the run was stopped (in
    mid-step, terminated or timed out): what was open then ended with the run, and so did the run."""
    end_open_steps(record, status_name(status.status))
    if record.state not in FINISHED_RUN_STATES:
        record.state = _STATE_OF_STATUS.get(status.status, AgentState.ERROR)


async def rebuilt_record(ctx: Context, status: RunStatus, not_asked: str | None = None) -> Record | None:
    """The record as the run's history tells it, for when the run cannot be asked: closed, or natively paused
    (the server refuses a paused run's every query at once). An agent run's history that does not replay here
    gives none, said once with why: this client's settings (its input unreadable here), or else its code changed
    since, of a run ``not_asked`` (unsaid without one: the caller asks the run)."""
    from orchestra.cli.replayed import InputUnreadableHere

    if status.kind != Kind.AGENT:
        record: Record | None = (await history_view(ctx, status))[1]
    else:
        try:
            record = await replayed_agent_record(ctx, status)
        except InputUnreadableHere as unreadable:
            ctx.note_once(unreadable_note(status.workflow_id, unreadable))
            return None
        if record is not None and status.closed:
            ended_with_the_run(record, status)
    if record is None and not_asked:
        ctx.note_once(not_replayed_note(status.workflow_id, not_asked=not_asked))
    return record


def unreadable_note(workflow_id: str, unreadable: Exception) -> str:
    return f"  … {named(workflow_id)}: {unreadable}; shown is what its events alone say"


async def record_view(ctx: Context, status: RunStatus) -> RunView:
    """A plan or agent run's record: from the workflow while it runs, from its result (or failure)
    once closed, rebuilt from its history while natively paused or when no worker answers."""
    client = await ctx.client()
    kind = record_type(status.kind)
    view = RunView(status)
    if status.natively_paused:
        view.record, view.rebuilt = await rebuilt_record(ctx, status, PAUSED_RUN), True
        return view
    if status.closed:
        view.record, view.problem = await _closed_result(ctx, status, kind)
        if view.record is None:
            await _closed_record(ctx, view)
        return view
    if (seen := await unserved(ctx, status)) is not None:
        view.no_worker = await unserved_note(ctx, status.task_queue, seen)
        view.record, view.rebuilt = await rebuilt_record(ctx, status, UNSERVED_RUN), True
        return view
    failed: list[str] = []
    view.record = await _query(client, status, RECORD_QUERY, kind, failed)
    if view.record is None and failed:
        # "The run has not answered yet (busy?)" and no step, while its worker had answered with an error.
        ctx.note_once(f"  … {named(status.workflow_id)}'s worker failed to answer for its record ({failed[0]}): "
                      "shown is what its history says")  # fmt: skip
        view.record, view.rebuilt = await rebuilt_record(ctx, status), True
    return view


async def _closed_record(ctx: Context, view: RunView) -> None:
    """A closed run's record from its history alone, never a query: its worker may be gone (the server lists a
    gone worker's poller for minutes), and each query waited its whole timeout for nobody; a worker of today's
    code replays the history no better than this process does."""
    status, view.rebuilt = view.status, True
    if status.status not in _ENDED_FROM_OUTSIDE:
        # Failed by itself without its record (a worker ran it to its end: it tells why, as a refused request),
        # or cancelled (its workflow ran the cancel to its end: the undos left, a chain's runs): its own record,
        # its history replayed here, as a worker would answer the query.
        from orchestra.cli.replayed import InputUnreadableHere

        try:
            view.record = await replayed_record(ctx, status)
        except InputUnreadableHere as unreadable:  # this client's settings, not a change of code
            ctx.note_once(unreadable_note(status.workflow_id, unreadable))
        else:
            if view.record is not None:
                view.rebuilt = False
                return
            ctx.note_once(not_replayed_note(status.workflow_id, not_asked=CLOSED_RUN))
        if status.kind != Kind.AGENT:  # a plan run's steps are read from its events without its code
            view.record = (await history_view(ctx, status))[1]
        return
    view.record = await rebuilt_record(ctx, status, CLOSED_RUN)  # terminated or timed out: what its history holds


_ENDED_FROM_OUTSIDE = frozenset(
    {
        WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED,
        WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT,
    }
)


async def task_view(ctx: Context, status: RunStatus) -> RunView:
    """A task run: how it was planned, and the record of the plan run it started (a child workflow)."""
    client = await ctx.client()
    view = RunView(status)
    if status.closed:
        from workflows.task import TaskOutcome

        outcome, view.problem = await _closed_result(ctx, status, TaskOutcome)
        if isinstance(outcome, TaskOutcome):
            view.planning, view.record = outcome.planning, outcome.record
    if view.planning is None and not status.closed and not status.natively_paused:
        from orchestra.planning.models import PlanningResult

        if (seen := await unserved(ctx, status)) is not None:
            view.no_worker = await unserved_note(ctx, status.task_queue, seen)
        else:
            view.planning = await _query(client, status, PLANNING_QUERY, PlanningResult)
    if view.record is None:
        try:
            child = await describe(ctx, task_child_id(status.workflow_id))
        except Exception:  # no plan run (yet): planning, or it failed before one started
            return view
        view.plan_run = child
        child_view = await record_view(ctx, child)
        view.record, view.rebuilt = child_view.record, child_view.rebuilt
        view.no_worker = view.no_worker or child_view.no_worker
    return view


async def read(ctx: Context, status: RunStatus) -> RunView:
    """The run as far as it can be read now, whatever its kind and state."""
    if status.kind == Kind.TASK:
        return await _whole(ctx, await task_view(ctx, status))
    if status.kind == Kind.OTHER:
        return RunView(
            status, problem=f"{named(status.workflow_id)} is a {status.workflow_type} workflow, not a run of ours"
        )
    return await _whole(ctx, await record_view(ctx, status))


async def _whole(ctx: Context, view: RunView) -> RunView:
    """A plan run that continued as new lists the steps its earlier runs finished by reference: read
    them back, so every command shows the whole chain. And why a run makes no progress, if it does not."""
    view.stuck = await task_problem(ctx, view.status)
    record = view.record
    if isinstance(record, ExecutionRecord) and record.earlier:
        client = await ctx.client()
        try:
            view.record = await whole_record(client.data_converter, record)
        except ChunkUnreadable as exc:
            view.problem = str(exc)
    return view


async def unserved(ctx: Context, status: RunStatus, within_s: float | None = None) -> Seen | None:
    """What the server says of the open run's task queue when no worker polls it nor serves the run, else None
    (second_look: looked at again for up to ``within_s``, by default as long as the command can wait)."""
    if within_s is None:
        within_s = WATCH_LOOK_S if ctx.following else ONE_SHOT_LOOK_S
    client = await ctx.client()
    return await unserved_run(client, status.workflow_id, status.run_id, status.task_queue, within_s)


async def unserved_note(ctx: Context, task_queue: str, seen: Seen) -> str:
    """Why the open run on ``task_queue`` was not asked, and what would serve it (worker_advice)."""
    said = [f"a worker was last seen polling it at {seen.last_seen:%Y-%m-%d %H:%M:%S} UTC"] if seen.last_seen else []
    if seen.acted:
        said.append(last_act_said(seen.acted))
    if seen.processes_gone:
        workers = ", ".join(f"worker {who}" for who in seen.processes_gone)
        said.append(f"{workers}: not running, its process on this host is gone")
    last = f" ({'; '.join(said)})" if said else ""
    start = await how_to_serve(await ctx.client(), ctx.settings.task_queue, task_queue)
    return f"no worker is polling task queue {task_queue!r}; the record is rebuilt from the history{last}; {start}"


async def worker_hint(ctx: Context, status: RunStatus) -> str:
    """Why a run may not answer: nobody polls its task queue nor serves it, the workers that do are busy, or the
    server could not say which."""
    client, task_queue = await ctx.client(), status.task_queue
    try:
        found = await seen_by_server(client, ctx.settings.namespace, task_queue)
    except PollersUnknown as unknown:
        return f"{unknown}"
    if found.polling:
        return (
            f"the server lists {found.polling} worker(s) polling task queue {task_queue!r} but none answered yet"
            f"{since_last_poll(client, found)}"
        )
    lacking = await unserved(ctx, status)
    if lacking is None:  # listed since, or acting on the run: second_look
        return f"a worker serves the run (polling task queue {task_queue!r}, or acting on it) but has not answered yet"
    acted = f" ({last_act_said(lacking.acted)})" if lacking.acted else ""
    start = await how_to_serve(client, ctx.settings.task_queue, task_queue)
    return f"no worker polls task queue {task_queue!r}{acted}: {start}"


def since_last_poll(client: Client, found: Seen) -> str:
    """How long the server has seen no poll of the workers it lists (by its clock: at least that long), and how much
    longer one killed without a word stays counted: these are the workers nothing else judges (off this host, or
    untagged). Nothing surer can be said sooner: a live idle worker's poll waits on the server up to a minute, stamped
    only when it arrives (a 1.32 dev server listed a live worker's poller 51-60 s old before its next, at load 13-24),
    and the SDK gives a poll up unanswered after 70 s."""
    now, window_s = server_now_at_least(client), int(workers_seen.POLLER_SEEN_WITHIN.total_seconds())
    if found.last_poll is None or now is None:
        return f": busy, or gone without saying so (a killed one stays listed until unseen for {window_s} s)"
    quiet_s = max(0, int((now - found.last_poll).total_seconds()))
    return (
        f"; no poll for {quiet_s} s (the last at {found.last_poll:%Y-%m-%d %H:%M:%S} UTC): busy, or gone without "
        f"saying so (a live idle worker polls again within about a minute; a killed one stays listed until unseen "
        f"for {window_s} s: {max(0, window_s - quiet_s)} s more at most)"
    )


async def follow(ctx: Context, workflow_id: str, on_update: Callable[[RunView], None]) -> RunView:
    """Call ``on_update`` with each new view of the run until it closes; return the final view."""
    ctx.following = workflow_id
    answered_at, hinted, stuck_said, pause_s = time.monotonic(), False, False, POLL_INTERVAL_S
    view: RunView | None = None
    while True:
        status = await describe(ctx, workflow_id)
        # A natively paused run, or one no worker serves, changes only when its history grows or its pending
        # activities do (a retry, a heartbeat): rebuild it only then, and ask the server less often while nothing
        # changes. Rebuilt every poll, a run left pending by a gone worker was replayed twice a second (a Ctrl-C
        # landing in a replay hung), and so was a natively paused one with an activity pending.
        unchanged = (
            view is not None
            and view.status.history_length == status.history_length
            and status.pending == view.status.pending
            and (
                (status.natively_paused and view.status.natively_paused)
                or (
                    view.no_worker is not None
                    and status.status == view.status.status
                    and await unserved(ctx, status, within_s=0) is not None  # a worker's new act changed the above
                )
            )
        )
        if not unchanged:
            view = await read(ctx, status)
            on_update(view)
        assert view is not None
        if status.closed:
            return view
        if view.stuck and not stuck_said:
            stuck_said = True
            ctx.note(
                f"  … {named(status.workflow_id)}: {view.stuck}; `cancel {argument(status.workflow_id)} --terminate` ends it"
            )
        if view.no_worker and not hinted:  # said at once: no worker is there to answer, however long it waits
            hinted = True
            ctx.note(f"  … no answer from the run: {view.no_worker}")
        elif view.record is not None or view.planning is not None or status.natively_paused:
            answered_at = time.monotonic()
        elif not hinted and not view.stuck and time.monotonic() - answered_at > NO_ANSWER_HINT_AFTER_S:
            hinted = True
            ctx.note(f"  … no answer from the run yet: {await worker_hint(ctx, status)}")
        pause_s = min(pause_s * 2, QUIET_POLL_INTERVAL_S) if unchanged else POLL_INTERVAL_S
        await asyncio.sleep(pause_s)


async def cooperatively_paused(ctx: Context, status: RunStatus) -> bool:
    """Whether the run holds a cooperative pause, for when it cannot say so itself (natively paused, or
    no worker to answer an update). Its history decides (pause_in_history): its last pause or resume,
    signal or update. A run that took neither is paused only if its record says so (an agent run carries
    its pause across continue-as-new; the record is rebuilt from the history if the run cannot answer)."""
    client = await ctx.client()
    pause = await pause_in_history(
        client, status.workflow_id, await history_events(ctx, status.workflow_id, status.run_id)
    )
    if pause is not None:
        return pause.paused
    record = (await read(ctx, status)).record
    return record is not None and record.paused
