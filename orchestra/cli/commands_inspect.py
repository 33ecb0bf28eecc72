"""`status`, `watch`, `result`, `history`, `list` and `tools`."""

from __future__ import annotations

import json
from datetime import UTC

from temporalio.api.workflowservice.v1 import ListWorkflowExecutionsRequest
from temporalio.service import RPCError

from orchestra.cli.context import Context, rpc_problem
from orchestra.cli.errors import EXIT_FAILED, EXIT_INVALID, EXIT_OK, CliError
from orchestra.cli.history import history_table
from orchestra.cli.observe import COMPLETED, WORKFLOW_TYPE, current_record, describe, final_record, follow, history_view
from orchestra.cli.observe import status_name as name_of
from orchestra.cli.output import Progress, one_line, render_record, table
from orchestra.registry import default_registry


def _exit_for(status: int) -> int:
    return EXIT_OK if status == COMPLETED else EXIT_FAILED


async def cmd_status(ctx: Context) -> int:
    status = await describe(ctx, ctx.args.workflow_id)
    ctx.say(f"workflow {status.workflow_id}  ·  run {status.run_id}")
    ctx.say(f"Temporal status {status.name}  ·  task queue {status.task_queue}  ·  {ctx.ui_url(status.workflow_id)}")
    if status.natively_paused:
        ctx.say("natively paused: steps below are rebuilt from the event history")
    record = await current_record(ctx, status)
    ctx.say()
    if record is None:
        ctx.say("(the run has not reported its record yet: is a worker polling its task queue?)")
    else:
        ctx.say(render_record(record, status=status.name, native_pause=status.natively_paused))
    return EXIT_OK


async def cmd_watch(ctx: Context) -> int:
    status, record = await follow(ctx, ctx.args.workflow_id, Progress(ctx.out))
    if record is not None:
        ctx.say()
        ctx.say(render_record(record, status=status.name))
    return _exit_for(status.status)


async def cmd_result(ctx: Context) -> int:
    status = await describe(ctx, ctx.args.workflow_id)
    if not status.closed:
        if ctx.args.no_wait:
            raise CliError(f"run {status.workflow_id} is still {status.name}", EXIT_FAILED)
        status, record = await follow(ctx, status.workflow_id, Progress(None))
    else:
        record = await final_record(ctx, status)
    if ctx.args.json:
        ctx.say(record.model_dump_json(indent=2) if record else "null")
    elif record is not None:
        ctx.say(render_record(record, status=status.name))
    else:
        ctx.say(f"run {status.workflow_id} ended {status.name}; its record is not available")
    return _exit_for(status.status)


async def cmd_history(ctx: Context) -> int:
    status = await describe(ctx, ctx.args.workflow_id)
    rows, record = await history_view(ctx, status)
    ctx.say(f"workflow {status.workflow_id}  ·  plan {record.plan_name}  ·  Temporal status {status.name}")
    ctx.say("times are UTC; (local) = a short pure tool run as a local activity, recorded as one marker event")
    ctx.say()
    ctx.say(history_table(rows) if rows else "(no activity yet)")
    return EXIT_OK


async def cmd_list(ctx: Context) -> int:
    client = await ctx.client()
    query = ctx.args.query or f"WorkflowType='{WORKFLOW_TYPE}'"
    limit: int = ctx.args.limit
    rows: list[list[str]] = []
    token = b""
    # The raw RPC, not client.list_workflows: the SDK cannot parse a natively paused run's status.
    while len(rows) < limit:
        request = ListWorkflowExecutionsRequest(
            namespace=ctx.settings.namespace, query=query, page_size=min(limit, 1000), next_page_token=token
        )
        try:
            response = await client.workflow_service.list_workflow_executions(request)
        except RPCError as exc:
            if "invalid" in exc.message.lower() or "syntax" in exc.message.lower():
                raise CliError(f"bad visibility query {query!r}: {exc.message}", EXIT_INVALID) from None
            raise rpc_problem(exc, ctx.settings) from None
        for info in response.executions[: limit - len(rows)]:
            started = info.start_time.ToDatetime(tzinfo=UTC) if info.HasField("start_time") else None
            closed = info.close_time.ToDatetime(tzinfo=UTC) if info.HasField("close_time") else None
            rows.append(
                [
                    info.execution.workflow_id,
                    name_of(info.status),
                    started.strftime("%Y-%m-%d %H:%M:%S") if started else "",
                    closed.strftime("%Y-%m-%d %H:%M:%S") if closed else "",
                    info.task_queue,
                ]
            )
        token = response.next_page_token
        if not token:
            break
    if not rows:
        ctx.say(f"no workflows match {query}")
        return EXIT_OK
    ctx.say(table(["workflow id", "status", "started (UTC)", "closed (UTC)", "task queue"], rows))
    return EXIT_OK


async def cmd_tools(ctx: Context) -> int:
    try:
        registry = default_registry(ctx.settings.registry_files)
    except Exception as exc:
        raise CliError(f"cannot load the tool registry: {exc}", EXIT_INVALID) from None
    if ctx.args.json:
        ctx.say(json.dumps([tool.spec.describe() for tool in registry], indent=2))
        return EXIT_OK
    rows = [
        [t.name, ", ".join(t.spec.capabilities), one_line(t.spec.description, 200)]
        for t in registry  # sorted by name
    ]
    ctx.say(table(["tool", "capabilities", "description"], rows))
    return EXIT_OK
