"""Pause, resume, cancel, approve and reject: each either takes effect or says why not (exit 1).

Two kinds of pause: the cooperative one is a signal to the workflow (running steps finish, no new step
starts, works on any server); the native one is Temporal's own workflow pause (server 1.30+, dynamic
config ``frontend.WorkflowPauseEnabled=true``), the same as the Web UI's Pause button. A natively
paused workflow runs no workflow task: it cannot answer a query or an update, and a signal or a
cancellation request waits until it is unpaused — so `resume` unpauses it, `cancel` says so unless
asked to unpause, and `approve`/`reject` refuse.
"""

from __future__ import annotations

import asyncio
import getpass
import socket
import uuid
from datetime import timedelta

from temporalio.api.workflowservice.v1 import PauseWorkflowExecutionRequest, UnpauseWorkflowExecutionRequest
from temporalio.client import WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.service import RPCError, RPCStatusCode

from orchestra.agent.models import ApprovalDecision
from orchestra.cli import runs
from orchestra.cli.context import Context, rpc_problem
from orchestra.cli.errors import EXIT_FAILED, EXIT_INVALID, EXIT_OK, CliError

UPDATE_WAIT = timedelta(seconds=30)


def identity() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. in a container
        user = "unknown"
    return f"orchestra-cli/{user}@{socket.gethostname()}"


async def open_run(ctx: Context, workflow_id: str, kind: runs.Kind | None = None) -> runs.RunStatus:
    status = await runs.describe(ctx, workflow_id)
    if kind is not None and status.kind != kind:
        raise CliError(
            f"{workflow_id} is a {status.kind.value} run: only {kind.value} runs wait for approvals", EXIT_INVALID
        )
    if status.closed:
        raise CliError(f"run {workflow_id} has already ended ({status.name}): nothing to do", EXIT_FAILED)
    if status.kind == runs.Kind.OTHER:
        raise CliError(f"{workflow_id} is a {status.workflow_type} workflow, not a run of ours", EXIT_INVALID)
    return status


def _native_problem(ctx: Context, exc: RPCError, workflow_id: str) -> CliError:
    if exc.status in (RPCStatusCode.FAILED_PRECONDITION, RPCStatusCode.PERMISSION_DENIED, RPCStatusCode.UNIMPLEMENTED):
        return CliError(
            f"native pause refused: {exc.message} (the server needs "
            "--dynamic-config-value frontend.WorkflowPauseEnabled=true; the cooperative pause works without it)"
        )
    return rpc_problem(exc, ctx.settings, workflow_id)


async def _native(ctx: Context, workflow_id: str, pause: bool, reason: str) -> None:
    client = await ctx.client()
    fields = {"namespace": ctx.settings.namespace, "workflow_id": workflow_id, "reason": reason,
              "identity": identity(), "request_id": str(uuid.uuid4())}  # fmt: skip
    try:
        if pause:
            await client.workflow_service.pause_workflow_execution(PauseWorkflowExecutionRequest(**fields))
        else:
            await client.workflow_service.unpause_workflow_execution(UnpauseWorkflowExecutionRequest(**fields))
    except RPCError as exc:
        raise _native_problem(ctx, exc, workflow_id) from None


async def _signal(ctx: Context, workflow_id: str, name: str, *args: str) -> None:
    client = await ctx.client()
    try:
        await client.get_workflow_handle(workflow_id).signal(name, *args)
    except RPCError as exc:
        raise rpc_problem(exc, ctx.settings, workflow_id) from None


async def pause(ctx: Context, workflow_id: str, *, native: bool, reason: str) -> int:
    status = await open_run(ctx, workflow_id)
    if status.natively_paused:
        raise CliError(
            f"run {workflow_id} is already paused (natively{': ' + status.native_pause_reason if status.native_pause_reason else ''})"
        )
    if native:
        await _native(ctx, workflow_id, True, reason or "paused from the orchestra CLI")
        ctx.say(f"paused {workflow_id} (native Temporal pause): `resume {workflow_id}` unpauses it")
        return EXIT_OK
    if await runs.cooperatively_paused(ctx, status):
        raise CliError(f"run {workflow_id} is already paused (cooperative pause): `resume {workflow_id}` resumes it")
    await _signal(ctx, workflow_id, "pause", reason)
    ctx.say(f"pause requested for {workflow_id}: running steps finish, no new step starts")
    return EXIT_OK


async def resume(ctx: Context, workflow_id: str, *, native_only: bool) -> int:
    """Undo whatever holds the run: the native pause, the cooperative one, or both."""
    status = await open_run(ctx, workflow_id)
    cooperative = False if native_only else await runs.cooperatively_paused(ctx, status)
    if not status.natively_paused and not cooperative:
        kind = "natively " if native_only else ""
        raise CliError(f"run {workflow_id} is not {kind}paused ({status.name}): nothing to resume")
    done = []
    if cooperative:  # sent first: the workflow sees it in the same task as the unpause
        await _signal(ctx, workflow_id, "resume")
        done.append("resumed its cooperative pause")
    if status.natively_paused:
        await _native(ctx, workflow_id, False, "resumed from the orchestra CLI")
        done.append("unpaused it (native Temporal pause)")
    ctx.say(f"{workflow_id}: {' and '.join(done)}")
    return EXIT_OK


async def cancel(ctx: Context, workflow_id: str, *, unpause: bool, terminate: bool = False) -> int:
    status = await open_run(ctx, workflow_id)
    if terminate:
        return await _terminate(ctx, status)
    stuck = await runs.task_problem(ctx, status)
    if stuck:
        if not status.cancel_requested:
            await _request_cancel(ctx, workflow_id)
        raise CliError(
            f"run {workflow_id} cannot act on a cancellation now: {stuck}.\n"
            f"  python client.py cancel {workflow_id} --terminate   end it now (the history keeps what finished)"
        )
    if status.cancel_requested:
        where = "it waits for the run to be unpaused (`resume`)" if status.natively_paused else "the run is cancelling"
        raise CliError(f"cancellation of {workflow_id} was already requested: {where}")
    if status.natively_paused and not unpause:
        raise CliError(
            f"run {workflow_id} is natively paused: a cancellation would wait until it is unpaused.\n"
            f"  python client.py cancel {workflow_id} --unpause   cancel now (unpauses it to do so)\n"
            f"  python client.py resume {workflow_id}             unpause it first"
        )
    await _request_cancel(ctx, workflow_id)
    if status.natively_paused:
        await _native(ctx, workflow_id, False, "unpaused to cancel, from the orchestra CLI")
    ctx.say(f"cancellation requested for {workflow_id}: running steps are cancelled, finished results are kept")
    return EXIT_OK


async def _request_cancel(ctx: Context, workflow_id: str) -> None:
    client = await ctx.client()
    try:
        await client.get_workflow_handle(workflow_id).cancel()
    except RPCError as exc:
        raise rpc_problem(exc, ctx.settings, workflow_id) from None


async def _terminate(ctx: Context, status: runs.RunStatus) -> int:
    """Temporal's terminate: the server closes the run at once, whatever its workflow task does."""
    client = await ctx.client()
    try:
        await client.get_workflow_handle(status.workflow_id).terminate(reason=f"terminated by {identity()}")
    except RPCError as exc:
        raise rpc_problem(exc, ctx.settings, status.workflow_id) from None
    ctx.say(
        f"terminated {status.workflow_id}: its steps' results stay in the history "
        f"(`python client.py status {status.workflow_id}` shows them)"
    )
    return EXIT_OK


async def decide(ctx: Context, workflow_id: str, *, approve: bool, call_id: str | None, reason: str) -> int:
    status = await open_run(ctx, workflow_id, runs.Kind.AGENT)
    verb = "approve" if approve else "reject"
    if status.natively_paused:
        raise CliError(f"run {workflow_id} is natively paused and cannot take a decision: `resume {workflow_id}` first")
    client = await ctx.client()
    handle = client.get_workflow_handle(workflow_id)
    try:
        decided = await asyncio.wait_for(
            handle.execute_update(verb, ApprovalDecision(call_id=call_id, reason=reason), result_type=list[str]),
            UPDATE_WAIT.total_seconds(),
        )
    except WorkflowUpdateFailedError as exc:
        cause = exc.cause
        raise CliError(f"cannot {verb}: {getattr(cause, 'message', None) or cause}") from None
    except (TimeoutError, WorkflowUpdateRPCTimeoutOrCancelledError):
        hint = await runs.worker_hint(ctx, status.task_queue)
        raise CliError(f"the run did not take the decision within {UPDATE_WAIT.seconds} s ({hint})") from None
    except RPCError as exc:
        raise rpc_problem(exc, ctx.settings, workflow_id) from None
    ctx.say(f"{'approved' if approve else 'rejected'} {', '.join(decided) or 'no call'} in {workflow_id}")
    return EXIT_OK
