"""`status`, `watch`, `result`, `history` and `list`: reading runs of every kind (plan, task, agent)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from orchestra.cli.errors import EXIT_FAILED, EXIT_OK, CliError
from orchestra.cli.naming import named
from orchestra.cli.options import INSPECT, choice, command, json_option, workflow_id_argument

if TYPE_CHECKING:
    from orchestra.cli.context import Context

KINDS = ("plan", "task", "agent")


@command("status", section=INSPECT, help="a run's state and steps, now (plan, task or agent run; also while paused)")
@workflow_id_argument
@json_option
async def status(ctx: Context, workflow_id: str, as_json: bool) -> int:
    from orchestra.cli import launch, render, runs

    run_status = await runs.describe(ctx, workflow_id)
    view = await runs.read(ctx, run_status)
    if as_json:
        render.print_json(ctx, {
            "workflow_id": run_status.workflow_id, "run_id": run_status.run_id, "kind": run_status.kind.value,
            "status": run_status.name, "task_queue": run_status.task_queue,
            "natively_paused": run_status.natively_paused, "native_pause_reason": run_status.native_pause_reason,
            "cancel_requested": run_status.cancel_requested, "record_rebuilt_from_history": view.rebuilt,
            "workflow_task_attempt": run_status.task_attempt, "stuck": view.stuck, "no_worker": view.no_worker,
            "plan_run": view.plan_run.workflow_id if view.plan_run else None,
            **({"planning": view.planning, "record": view.record} if run_status.kind == runs.Kind.TASK
               else {"record": launch.json_view(view)}),
        })  # fmt: skip
        return EXIT_OK
    render.show(ctx, render.status_header(ctx, view), "", render.run_view(view))
    # A natively paused run is not asked (its header says so): no worker's answer is awaited.
    if (
        view.record is None
        and view.planning is None
        and not run_status.closed
        and not view.stuck
        and not run_status.natively_paused
    ):
        ctx.say(f"(the run has not answered yet: {await runs.worker_hint(ctx, run_status)})")
    return EXIT_OK


@command("watch", section=INSPECT, help="follow a run's progress until it ends; the exit code says how it ended")
@workflow_id_argument
@json_option
async def watch(ctx: Context, workflow_id: str, as_json: bool) -> int:
    from orchestra.cli import launch, runs

    await runs.describe(ctx, workflow_id)  # an unknown id fails here (exit 4), before any output
    return await launch.follow_and_report(ctx, workflow_id, as_json=as_json)


@command("result", section=INSPECT, help="the final record of a run (waits for it to end), or one step's full output")
@workflow_id_argument
@json_option
@click.option("--no-wait", is_flag=True, help="fail instead of waiting if the run is still open")
@click.option(
    "--output", "node_id", metavar="STEP",
    help="print only this step's full output (the record keeps a preview): text as it is, other values as JSON",
)  # fmt: skip
async def result(ctx: Context, workflow_id: str, as_json: bool, no_wait: bool, node_id: str | None) -> int:
    from orchestra.cli import launch, render, runs

    run_status = await runs.describe(ctx, workflow_id)
    if run_status.closed or node_id is not None:  # a finished step's output can be read while the run goes on
        view = await runs.read(ctx, run_status)
    elif no_wait:
        raise CliError(f"run {named(workflow_id)} is still {run_status.name}", EXIT_FAILED)
    else:
        view = await runs.follow(ctx, workflow_id, lambda _: None)
    if node_id is not None:
        return await launch.print_step_output(ctx, view, node_id, as_json=as_json)
    if as_json:
        render.print_json(ctx, launch.json_view(view))
    else:
        render.show(ctx, render.run_view(view))
    return launch.exit_code(view)


@command("history", section=INSPECT, help="every activity of a run from its event history, in time order")
@workflow_id_argument
@json_option
async def history(ctx: Context, workflow_id: str, as_json: bool) -> int:
    from dataclasses import asdict

    from orchestra.cli import render, runs
    from orchestra.cli.history import history_table

    run_status = await runs.describe(ctx, workflow_id)
    rows, record = await runs.history_view(ctx, run_status)
    if as_json:
        render.print_json(ctx, [asdict(row) | {"duration_ms": row.duration_ms} for row in rows])
        return EXIT_OK
    what = f"plan {record.plan_name}" if run_status.kind == runs.Kind.PLAN else f"{run_status.kind.value} run"
    ctx.say(f"workflow {run_status.workflow_id}  ·  {what}  ·  Temporal status {run_status.name}")
    ctx.say("times are UTC; (local) = a short pure tool run as a local activity, recorded as one marker event")
    ctx.say()
    render.show(ctx, history_table(rows) if rows else "(no activity yet)")
    return EXIT_OK


@command("list", section=INSPECT, help="list runs, newest first (plan, task and agent runs; Temporal visibility)")
@click.option("--kind", type=choice(KINDS), help="only runs of this kind")
@click.option("--query", help="visibility query ANDed with the kind, e.g. \"OrchestraState='error'\"")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="at most this many rows")
@click.option(
    "--continued",
    is_flag=True,
    help="list too the earlier runs of chains (runs that continued as new), state 'continued'",
)
@json_option
async def list_runs(
    ctx: Context, kind: str | None, query: str | None, limit: int, continued: bool, as_json: bool
) -> int:
    from orchestra.cli import render
    from orchestra.cli.listing import list_runs as rows_of
    from orchestra.cli.listing import ordering, scope, without_handed_over

    conditions, order = ordering(query)  # after every condition, the ones added too
    full_query = scope(kind, conditions) if continued else without_handed_over(scope(kind, conditions), conditions)
    full_query += f" {order}" if order else ""
    found = await rows_of(ctx, full_query, limit)
    if as_json:
        render.print_json(ctx, found)
        return EXIT_OK
    if not found:
        ctx.say(f"no runs match {full_query}")
        return EXIT_OK
    headers = ["workflow id", "kind", "status", "state", "plan", "started (UTC)", "closed (UTC)", "scheduled by"]
    keys = ["workflow_id", "kind", "status", "state", "plan", "started", "closed", "scheduled_by"]
    if not any(row.get("scheduled_by") for row in found):  # room for the names on a narrow terminal
        headers, keys = headers[:-1], keys[:-1]
    body = [[str(row.get(k) or "") for k in keys] for row in found]
    render.show(ctx, render.table(headers, body, names=["workflow id", "plan"]))
    return EXIT_OK
