"""Reading a run: its Temporal status, its execution record, following it live, its final record.

Status is always read through the raw ``describe_workflow_execution`` RPC: while a workflow is
natively paused (status 8) the SDK's ``handle.describe()`` and ``handle.query()`` raise
``ValueError: 8 is not a valid WorkflowExecutionStatus``; the record is then rebuilt from history.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from temporalio.api.enums.v1 import WorkflowExecutionStatus
from temporalio.api.history.v1 import HistoryEvent
from temporalio.api.workflow.v1 import PendingActivityInfo
from temporalio.api.workflowservice.v1 import DescribeWorkflowExecutionRequest
from temporalio.client import Client, WorkflowFailureError, WorkflowQueryFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError

from orchestra.cli.context import Context, rpc_problem
from orchestra.cli.history import ActivityRow, activity_rows, apply_pending, record_from_history
from orchestra.cli.output import Progress
from orchestra.record import AgentState, ExecutionRecord

WORKFLOW_TYPE = "OrchestrationWorkflow"
RECORD_QUERY = "record"
POLL_INTERVAL_S = 0.5
QUERY_TIMEOUT = timedelta(seconds=5)
NO_WORKER_HINT_AFTER_S = 10.0

RUNNING = WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
COMPLETED = WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED
# Not in older enums: the value is what the server sends for a natively paused workflow.
PAUSED = 8

# What a run's Temporal status says about it when only the history is there to read.
_AGENT_STATE = {
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

    @property
    def name(self) -> str:
        return status_name(self.status)

    @property
    def natively_paused(self) -> bool:
        return self.status == PAUSED

    @property
    def running(self) -> bool:
        return self.status == RUNNING

    @property
    def closed(self) -> bool:
        return self.status not in (RUNNING, PAUSED)


async def describe(ctx: Context, workflow_id: str) -> RunStatus:
    client = await ctx.client()
    request = DescribeWorkflowExecutionRequest(namespace=ctx.settings.namespace)
    request.execution.workflow_id = workflow_id
    try:
        response = await client.workflow_service.describe_workflow_execution(request)
    except RPCError as exc:
        raise rpc_problem(exc, ctx.settings, workflow_id) from None
    info = response.workflow_execution_info

    def when(has: bool, value: Any) -> datetime | None:
        return value.ToDatetime(tzinfo=UTC) if has else None

    return RunStatus(
        workflow_id=info.execution.workflow_id,
        run_id=info.execution.run_id,
        status=info.status,
        task_queue=info.task_queue,
        workflow_type=info.type.name,
        start_time=when(info.HasField("start_time"), info.start_time),
        close_time=when(info.HasField("close_time"), info.close_time),
        pending=list(response.pending_activities),
    )


async def query_record(client: Client, workflow_id: str) -> ExecutionRecord | None:
    """The workflow's own record, or None if it cannot answer now (no worker yet, paused, gone)."""
    handle = client.get_workflow_handle(workflow_id)
    try:
        value = await handle.query(RECORD_QUERY, result_type=ExecutionRecord, rpc_timeout=QUERY_TIMEOUT)
    except (RPCError, WorkflowQueryFailedError, ValueError, RuntimeError):
        return None
    return value if isinstance(value, ExecutionRecord) else None


async def history_events(ctx: Context, workflow_id: str, run_id: str | None = None) -> list[HistoryEvent]:
    client = await ctx.client()
    handle = client.get_workflow_handle(workflow_id, run_id=run_id)
    try:
        return [event async for event in handle.fetch_history_events()]
    except RPCError as exc:
        raise rpc_problem(exc, ctx.settings, workflow_id) from None


async def history_view(ctx: Context, status: RunStatus) -> tuple[list[ActivityRow], ExecutionRecord]:
    """Activity rows and a record rebuilt from the history (plus describe's pending activities)."""
    client = await ctx.client()
    events = await history_events(ctx, status.workflow_id, status.run_id)
    rows = activity_rows(client, events)
    apply_pending(rows, status.pending)
    state = _AGENT_STATE.get(status.status, AgentState.ERROR)
    return rows, record_from_history(client, status.workflow_id, status.run_id, events, rows, state)


async def current_record(ctx: Context, status: RunStatus) -> ExecutionRecord | None:
    if status.natively_paused:
        return (await history_view(ctx, status))[1]
    if status.closed:
        return await final_record(ctx, status)
    return await query_record(await ctx.client(), status.workflow_id)


async def final_record(ctx: Context, status: RunStatus) -> ExecutionRecord | None:
    """A closed run's record: its result, the record in a PlanFailed error, or the query."""
    client = await ctx.client()
    handle = client.get_workflow_handle(status.workflow_id, run_id=status.run_id, result_type=ExecutionRecord)
    try:
        result = await handle.result(follow_runs=False)
        if isinstance(result, ExecutionRecord):
            return result
    except WorkflowFailureError as failure:
        cause = failure.cause
        if isinstance(cause, ApplicationError) and cause.type == "PlanFailed" and cause.details:
            return ExecutionRecord.model_validate(cause.details[0])
    except RPCError as exc:
        raise rpc_problem(exc, ctx.settings, status.workflow_id) from None
    # Cancelled, terminated, timed out, or refused as invalid: the workflow still answers its query
    # (a worker replays it); without a worker, show what the history holds.
    record = await query_record(client, status.workflow_id)
    if record is None:
        record = (await history_view(ctx, status))[1]
    return record


async def follow(ctx: Context, workflow_id: str, progress: Progress) -> tuple[RunStatus, ExecutionRecord | None]:
    """Print progress until the run closes; return its final status and record."""
    client = await ctx.client()
    waiting_since = time.monotonic()
    hinted = False
    while True:
        status = await describe(ctx, workflow_id)
        if status.closed:
            break
        if status.natively_paused:
            _, rebuilt = await history_view(ctx, status)
            progress.update(rebuilt, native_pause=True)
        else:
            maybe = await query_record(client, workflow_id)
            if maybe is not None:
                progress.update(maybe)
                waiting_since = time.monotonic()
            elif not hinted and time.monotonic() - waiting_since > NO_WORKER_HINT_AFTER_S:
                hinted = True
                ctx.note(
                    f"  … no answer from the run yet: is a worker polling task queue {status.task_queue!r}?"
                    " (`python client.py up` starts one)"
                )
        await asyncio.sleep(POLL_INTERVAL_S)
    record = await final_record(ctx, status)
    if record is not None:
        progress.update(record)
    return status, record
