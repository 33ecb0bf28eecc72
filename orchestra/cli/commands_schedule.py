"""`schedule create|list|describe|trigger|pause|unpause|delete`: a plan file or a task run on a cron or
an interval through Temporal Schedules (the server starts the runs; no process of ours needs to be up
but a worker).

Wiring (app.py): ``commands_schedule.register(sub, parents=[common])``.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from temporalio.client import (
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleIntervalSpec,
    ScheduleListActionStartWorkflow,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleState,
)
from temporalio.service import RPCError, RPCStatusCode

from orchestra.calls import RunRequest
from orchestra.cli.context import Context, rpc_problem
from orchestra.cli.errors import EXIT_INVALID, EXIT_NOT_FOUND, EXIT_OK, CliError
from orchestra.cli.output import table

OVERLAP = {policy.name.lower(): policy for policy in ScheduleOverlapPolicy}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")
_UNIT_S = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> timedelta:
    """``90s``, ``5m``, ``1h30m``, ``1d``."""
    compact = text.replace(" ", "").lower()
    parts = _DURATION.findall(compact)
    if not parts or "".join(n + u for n, u in parts) != compact:
        raise CliError(f"bad duration {text!r}: use e.g. 30s, 5m, 1h30m, 1d", EXIT_INVALID)
    return timedelta(seconds=sum(float(n) * _UNIT_S[u] for n, u in parts))


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], parents: Sequence[argparse.ArgumentParser] = ()
) -> None:
    text = "run a plan or a task on a cron or an interval (Temporal Schedules)"
    schedule = subparsers.add_parser("schedule", parents=list(parents), help=text, description=text)
    sub = schedule.add_subparsers(dest="schedule_command", metavar="ACTION", required=True)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=list(parents), help=help_text, description=help_text)

    p = action("create", "create a schedule (the plan is validated first; nothing is created if it is invalid)")
    p.add_argument("schedule_id", metavar="ID")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--plan", metavar="FILE", help="plan file (YAML or JSON) to run each time")
    what.add_argument("--task", metavar="TEXT", help="plain-language task to plan and run each time")
    p.add_argument("--input", action="append", metavar="K=V", help="plan or task input; JSON values keep their type")
    p.add_argument("--backend", choices=["heuristic", "llm"], default="heuristic", help="task analysis (with --task)")
    when = p.add_argument_group("when (at least one)")
    when.add_argument("--cron", action="append", metavar="EXPR", help='cron expression, e.g. "0 6 * * 1-5"; repeatable')
    when.add_argument("--every", metavar="DURATION", help="interval, e.g. 30s, 15m, 1h, 1d")
    when.add_argument("--offset", metavar="DURATION", help="shift of the interval's phase, e.g. 5m")
    p.add_argument("--timezone", metavar="TZ", help="time zone of cron expressions (e.g. Europe/Paris; default UTC)")
    p.add_argument("--jitter", metavar="DURATION", help="start each run up to this much later, at random")
    p.add_argument(
        "--overlap",
        choices=sorted(OVERLAP),
        default="skip",
        help="when the previous run is still going: skip (default), buffer_one, buffer_all, cancel_other, "
        "terminate_other or allow_all",
    )
    p.add_argument("--catchup-window", metavar="DURATION", help="after downtime, start missed runs this far back")
    p.add_argument("--pause-on-failure", action="store_true", help="pause the schedule when a run fails")
    p.add_argument("--paused", action="store_true", help="create it paused")
    p.add_argument("--note", help="note shown with the schedule")
    p.add_argument("--trigger", action="store_true", help="also start one run now")
    p.set_defaults(handler=cmd_create)

    action("list", "list schedules").set_defaults(handler=cmd_list)
    for name, handler, help_text in (
        ("describe", cmd_describe, "a schedule's spec, state and recent runs"),
        ("trigger", cmd_trigger, "start one run now (the overlap policy applies)"),
        ("pause", cmd_pause, "stop starting runs until unpause"),
        ("unpause", cmd_unpause, "start runs again"),
        ("delete", cmd_delete, "delete a schedule (runs it started go on)"),
    ):
        p = action(name, help_text)
        p.add_argument("schedule_id", metavar="ID")
        if name in ("pause", "unpause"):
            p.add_argument("--note", help="why (shown with the schedule)")
        p.set_defaults(handler=handler)


def _workflow_action(ctx: Context, schedule_id: str) -> ScheduleActionStartWorkflow:
    args = ctx.args
    if args.plan:
        from orchestra.cli.commands_run import checked_plan

        prepared = checked_plan(ctx)  # exits with every problem listed when the plan is invalid
        plan = prepared.plan
        return ScheduleActionStartWorkflow(
            "OrchestrationWorkflow",
            RunRequest(plan=plan),
            id=f"{schedule_id}-run",  # the server appends the scheduled time
            task_queue=ctx.settings.task_queue,
            static_summary=f"scheduled by {schedule_id}: plan {plan.name}, {len(plan.nodes)} steps",
            static_details=plan.description,
        )
    from orchestra.cli.commands_run import parse_inputs
    from workflows.task import TaskRequest

    task = args.task.strip()
    if not task:
        raise CliError("--task must not be empty", EXIT_INVALID)
    request = TaskRequest(task=task, backend=args.backend, inputs=parse_inputs(args.input))
    return ScheduleActionStartWorkflow(
        "TaskWorkflow",
        request,
        id=f"{schedule_id}-task",
        task_queue=ctx.settings.task_queue,
        static_summary=f"scheduled by {schedule_id}: {task[:120]}",
    )


def _spec(args: argparse.Namespace) -> ScheduleSpec:
    if not args.cron and not args.every:
        raise CliError("give --cron EXPR or --every DURATION", EXIT_INVALID)
    intervals = []
    if args.every:
        every = parse_duration(args.every)
        if every < timedelta(seconds=1):
            raise CliError("--every must be at least 1s", EXIT_INVALID)
        offset = parse_duration(args.offset) if args.offset else None
        intervals.append(ScheduleIntervalSpec(every=every, offset=offset))
    elif args.offset:
        raise CliError("--offset goes with --every", EXIT_INVALID)
    return ScheduleSpec(
        cron_expressions=list(args.cron or []),
        intervals=intervals,
        jitter=parse_duration(args.jitter) if args.jitter else None,
        time_zone_name=args.timezone,
    )


async def cmd_create(ctx: Context) -> int:
    args = ctx.args
    spec = _spec(args)
    schedule = Schedule(
        action=_workflow_action(ctx, args.schedule_id),
        spec=spec,
        policy=SchedulePolicy(
            overlap=OVERLAP[args.overlap],
            catchup_window=parse_duration(args.catchup_window) if args.catchup_window else None,
            pause_on_failure=args.pause_on_failure,
        ),
        state=ScheduleState(note=args.note, paused=args.paused),
    )
    client = await ctx.client()
    try:
        await client.create_schedule(args.schedule_id, schedule, trigger_immediately=args.trigger)
    except ScheduleAlreadyRunningError:
        raise CliError(f"a schedule with id {args.schedule_id!r} already exists", EXIT_INVALID) from None
    except RPCError as exc:
        if exc.status == RPCStatusCode.INVALID_ARGUMENT:
            raise CliError(f"Temporal refused the schedule: {exc.message}", EXIT_INVALID) from None
        raise rpc_problem(exc, ctx.settings) from None
    when = ", ".join([*(f"cron {c!r}" for c in args.cron or []), *([f"every {args.every}"] if args.every else [])])
    ctx.say(f"created schedule {args.schedule_id}: {when}, overlap {args.overlap}{' (paused)' if args.paused else ''}")
    return EXIT_OK


def _when(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if value else ""


async def cmd_list(ctx: Context) -> int:
    client = await ctx.client()
    rows: list[list[str]] = []
    try:
        async for entry in await client.list_schedules():
            info = entry.info
            upcoming = info.next_action_times[0] if info and info.next_action_times else None
            last = info.recent_actions[-1].started_at if info and info.recent_actions else None
            action = entry.schedule.action if entry.schedule else None
            workflow_type = action.workflow if isinstance(action, ScheduleListActionStartWorkflow) else ""
            paused = "paused" if entry.schedule and entry.schedule.state.paused else "active"
            rows.append([entry.id, paused, workflow_type, _when(last), _when(upcoming)])
    except RPCError as exc:
        raise rpc_problem(exc, ctx.settings) from None
    if not rows:
        ctx.say("no schedules")
        return EXIT_OK
    ctx.say(table(["schedule", "state", "runs", "last run (UTC)", "next run (UTC)"], sorted(rows)))
    return EXIT_OK


async def _handle_call(ctx: Context, operation: str) -> None:
    client = await ctx.client()
    handle = client.get_schedule_handle(ctx.args.schedule_id)
    try:
        if operation == "pause":
            await handle.pause(note=ctx.args.note or "paused from client.py")
        elif operation == "unpause":
            await handle.unpause(note=ctx.args.note or "unpaused from client.py")
        elif operation == "trigger":
            await handle.trigger()
        elif operation == "delete":
            await handle.delete()
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            raise CliError(f"no schedule with id {ctx.args.schedule_id!r}", EXIT_NOT_FOUND) from None
        raise rpc_problem(exc, ctx.settings) from None


async def cmd_pause(ctx: Context) -> int:
    await _handle_call(ctx, "pause")
    ctx.say(f"paused schedule {ctx.args.schedule_id}")
    return EXIT_OK


async def cmd_unpause(ctx: Context) -> int:
    await _handle_call(ctx, "unpause")
    ctx.say(f"unpaused schedule {ctx.args.schedule_id}")
    return EXIT_OK


async def cmd_trigger(ctx: Context) -> int:
    await _handle_call(ctx, "trigger")
    ctx.say(f"triggered schedule {ctx.args.schedule_id}")
    return EXIT_OK


async def cmd_delete(ctx: Context) -> int:
    await _handle_call(ctx, "delete")
    ctx.say(f"deleted schedule {ctx.args.schedule_id}")
    return EXIT_OK


async def cmd_describe(ctx: Context) -> int:
    client = await ctx.client()
    try:
        described = await client.get_schedule_handle(ctx.args.schedule_id).describe()
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            raise CliError(f"no schedule with id {ctx.args.schedule_id!r}", EXIT_NOT_FOUND) from None
        raise rpc_problem(exc, ctx.settings) from None
    schedule, info = described.schedule, described.info
    spec = schedule.spec
    when = [*(f"cron {c!r}" for c in spec.cron_expressions), *(f"every {i.every}" for i in spec.intervals)]
    ctx.say(f"schedule {described.id}: {', '.join(when) or '(calendar spec)'}")
    state = "paused" if schedule.state.paused else "active"
    ctx.say(f"state {state}{': ' + schedule.state.note if schedule.state.note else ''}  ·  overlap "
            f"{schedule.policy.overlap.name.lower()}  ·  {info.num_actions} runs started")  # fmt: skip
    if isinstance(schedule.action, ScheduleActionStartWorkflow):
        ctx.say(f"starts {schedule.action.workflow} on task queue {schedule.action.task_queue}")
    if info.next_action_times:
        ctx.say("next: " + ", ".join(_when(t) for t in info.next_action_times[:3]) + " (UTC)")
    rows = [
        [_when(a.started_at), a.action.workflow_id if hasattr(a.action, "workflow_id") else ""]
        for a in info.recent_actions
    ]
    if rows:
        ctx.say()
        ctx.say(table(["started (UTC)", "workflow id"], rows))
    return EXIT_OK
