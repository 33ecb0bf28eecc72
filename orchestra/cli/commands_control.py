"""`pause`, `resume`, `cancel`.

Two kinds of pause: the cooperative one is a signal to the workflow (running steps finish, no new
step starts, works on any server); the native one (--native) is Temporal's own workflow pause
(server 1.30+, needs the dynamic config ``frontend.WorkflowPauseEnabled=true``), the same as the
Web UI's Pause button.
"""

from __future__ import annotations

import getpass
import socket
import uuid

from temporalio.api.workflowservice.v1 import PauseWorkflowExecutionRequest, UnpauseWorkflowExecutionRequest
from temporalio.service import RPCError, RPCStatusCode

from orchestra.cli.context import Context, rpc_problem
from orchestra.cli.errors import EXIT_FAILED, EXIT_OK, CliError
from orchestra.cli.observe import describe


def identity() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. in a container
        user = "unknown"
    return f"orchestra-cli/{user}@{socket.gethostname()}"


async def _require_open(ctx: Context, workflow_id: str) -> None:
    status = await describe(ctx, workflow_id)
    if status.closed:
        raise CliError(f"run {workflow_id} has already ended ({status.name})", EXIT_FAILED)


def _native_problem(ctx: Context, exc: RPCError, workflow_id: str) -> CliError:
    if exc.status in (RPCStatusCode.FAILED_PRECONDITION, RPCStatusCode.PERMISSION_DENIED, RPCStatusCode.UNIMPLEMENTED):
        return CliError(
            f"native pause refused: {exc.message} (the server needs "
            "--dynamic-config-value frontend.WorkflowPauseEnabled=true; the cooperative pause works without it)"
        )
    return rpc_problem(exc, ctx.settings, workflow_id)


async def cmd_pause(ctx: Context) -> int:
    workflow_id, reason = ctx.args.workflow_id, ctx.args.reason or ""
    await _require_open(ctx, workflow_id)
    client = await ctx.client()
    try:
        if ctx.args.native:
            await client.workflow_service.pause_workflow_execution(
                PauseWorkflowExecutionRequest(
                    namespace=ctx.settings.namespace,
                    workflow_id=workflow_id,
                    reason=reason or "paused from the orchestra CLI",
                    identity=identity(),
                    request_id=str(uuid.uuid4()),
                )
            )
            ctx.say(f"paused {workflow_id} (native Temporal pause): resume with `resume {workflow_id} --native`")
        else:
            await client.get_workflow_handle(workflow_id).signal("pause", reason)
            ctx.say(f"pause requested for {workflow_id}: running steps finish, no new step starts")
    except RPCError as exc:
        raise _native_problem(ctx, exc, workflow_id) from None
    return EXIT_OK


async def cmd_resume(ctx: Context) -> int:
    workflow_id = ctx.args.workflow_id
    await _require_open(ctx, workflow_id)
    client = await ctx.client()
    try:
        if ctx.args.native:
            await client.workflow_service.unpause_workflow_execution(
                UnpauseWorkflowExecutionRequest(
                    namespace=ctx.settings.namespace,
                    workflow_id=workflow_id,
                    reason="resumed from the orchestra CLI",
                    identity=identity(),
                    request_id=str(uuid.uuid4()),
                )
            )
            ctx.say(f"unpaused {workflow_id} (native Temporal pause)")
        else:
            await client.get_workflow_handle(workflow_id).signal("resume")
            ctx.say(f"resume requested for {workflow_id}")
    except RPCError as exc:
        raise _native_problem(ctx, exc, workflow_id) from None
    return EXIT_OK


async def cmd_cancel(ctx: Context) -> int:
    workflow_id = ctx.args.workflow_id
    await _require_open(ctx, workflow_id)
    client = await ctx.client()
    try:
        await client.get_workflow_handle(workflow_id).cancel()
    except RPCError as exc:
        raise rpc_problem(exc, ctx.settings, workflow_id) from None
    ctx.say(f"cancellation requested for {workflow_id}: running steps are cancelled, finished results are kept")
    return EXIT_OK
