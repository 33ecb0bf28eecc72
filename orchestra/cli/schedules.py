"""Temporal Schedules for plans and tasks: what `schedule create|list|describe|...` do.

A schedule runs a plan: a plan file is validated whole before the schedule is created, and a task is
planned here, once, and its plan validated the same way — so a schedule never starts runs that fail
on every tick, and `schedule describe` shows exactly what each run does. (To plan a task again, e.g.
after adding tools, create the schedule again.)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from temporalio.client import (
    Client,
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
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.service import RPCError, RPCStatusCode

from orchestra import search_attributes as sa
from orchestra.calls import RunRequest
from orchestra.cli import plans, render
from orchestra.cli.context import Context, rpc_problem
from orchestra.cli.durations import parse_duration
from orchestra.cli.errors import EXIT_INVALID, EXIT_OK, CliError
from orchestra.cli.naming import named
from orchestra.cli.runs import WORKFLOW_TYPES, Kind
from orchestra.plan_chain import first_run_args
from orchestra.plan_start import too_large_whole
from orchestra.storage.drivers import for_schedules
from orchestra.temporal_bounds import WORKFLOW_TASK_TIMEOUT
from orchestra.text import one_line, plural, printable
from orchestra.validation import PreparedPlan

OVERLAP = {policy.name.lower(): policy for policy in ScheduleOverlapPolicy}


def spec_from(cron: tuple[str, ...], every: str | None, offset: str | None, jitter: str | None,
              timezone: str | None) -> ScheduleSpec:  # fmt: skip
    if not cron and not every:
        raise CliError("give --cron EXPR or --every DURATION", EXIT_INVALID)
    intervals = []
    if every:
        interval = parse_duration(every)
        if interval < timedelta(seconds=1):
            raise CliError("--every must be at least 1s", EXIT_INVALID)
        intervals.append(ScheduleIntervalSpec(every=interval, offset=parse_duration(offset) if offset else None))
    elif offset:
        raise CliError("--offset goes with --every", EXIT_INVALID)
    return ScheduleSpec(
        cron_expressions=list(cron), intervals=intervals, jitter=parse_duration(jitter) if jitter else None,
        time_zone_name=timezone,
    )  # fmt: skip


async def prepared_for(
    ctx: Context, plan_file: str | None, task: str | None, backend: str, inputs: tuple[str, ...]
) -> tuple[PreparedPlan, str | None, str | None]:
    """The plan each run will run, validated; the task it came from; the task's complexity."""
    if plan_file:
        return await plans.checked_plan_interruptible(ctx, plan_file, inputs), None, None
    from orchestra.cli.planning import TaskOptions, planned, runnable

    assert task is not None
    result = await planned(ctx, task, TaskOptions(backend=backend))
    return runnable(ctx, result, inputs), task.strip(), result.analysis.complexity.value


def action_for(
    ctx: Context, schedule_id: str, prepared: PreparedPlan, task: str | None, complexity: str | None
) -> ScheduleActionStartWorkflow:
    plan = prepared.plan
    request = RunRequest(plan=plan, task=task)
    if problem := too_large_whole(request, "a schedule"):
        raise CliError(f"{problem}; nothing was created", EXIT_INVALID)
    about = f"task {one_line(task, 100)!r} as " if task else ""
    attributes = [SearchAttributePair(sa.PLAN, sa.keyword(sa.PLAN, plan.name))]
    if complexity:
        attributes.append(SearchAttributePair(sa.COMPLEXITY, complexity))
    return ScheduleActionStartWorkflow(
        WORKFLOW_TYPES[Kind.PLAN],
        args=first_run_args(request),
        id=f"{schedule_id}-run",  # the server appends the scheduled time
        task_queue=ctx.settings.task_queue,
        task_timeout=WORKFLOW_TASK_TIMEOUT,
        static_summary=f"scheduled by {schedule_id}: {about}{plans.plan_summary(prepared)}",
        static_details=None if plan.description is None else printable(plan.description),
        typed_search_attributes=TypedSearchAttributes(attributes),
    )


async def create(ctx: Context, schedule_id: str, options: dict[str, Any]) -> int:
    spec = spec_from(options["cron"], options["every"], options["offset"], options["jitter"], options["timezone"])
    prepared, task, complexity = await prepared_for(
        ctx, options["plan_file"], options["task"], options["backend"], options["inputs"]
    )
    schedule = Schedule(
        action=action_for(ctx, schedule_id, prepared, task, complexity),
        spec=spec,
        policy=SchedulePolicy(
            overlap=OVERLAP[options["overlap"]],
            catchup_window=parse_duration(options["catchup_window"]) if options["catchup_window"] else None,
            pause_on_failure=options["pause_on_failure"],
        ),
        state=ScheduleState(note=options["note"], paused=options["paused"]),
    )
    client = await ctx.client()
    config = client.config()
    # A large input is stored where every run the schedule starts (its own workflow id) may read it.
    config["data_converter"] = for_schedules(client.data_converter)
    try:
        await Client(**config).create_schedule(schedule_id, schedule, trigger_immediately=options["trigger"])
    except ScheduleAlreadyRunningError:
        raise CliError(f"a schedule with id {named(schedule_id)!r} already exists", EXIT_INVALID) from None
    except RPCError as exc:
        if exc.status == RPCStatusCode.INVALID_ARGUMENT:
            raise CliError(f"Temporal refused the schedule: {exc.message}", EXIT_INVALID) from None
        raise rpc_problem(exc, ctx.settings) from None
    spec_said = [
        *(f"cron {c!r}" for c in options["cron"]),
        *([f"every {options['every']}"] if options["every"] else []),
    ]
    when = ", ".join(spec_said)
    paused = " (paused)" if options["paused"] else ""
    if options["as_json"]:
        render.print_json(ctx, {
            "schedule_id": schedule_id, "spec": spec_said, "overlap": options["overlap"],
            "paused": options["paused"], "triggered": options["trigger"], "plan": prepared.plan.name,
            "steps": len(prepared.plan.nodes), "task": task,
        })  # fmt: skip
        return EXIT_OK
    ctx.say(f"created schedule {schedule_id}: {when}, overlap {options['overlap']}{paused}")
    ctx.say(f"each run: {plans.plan_summary(prepared)}" + (f" (planned from the task {task!r})" if task else ""))
    return EXIT_OK


async def _request(ctx: Context, action: object) -> RunRequest | None:
    """The plan a schedule's runs are started with (decoded as the worker will decode it)."""
    if not isinstance(action, ScheduleActionStartWorkflow) or not action.args:
        return None
    argument = action.args[0]
    if isinstance(argument, RunRequest):
        return argument
    client = await ctx.client()
    try:
        decoded = (await client.data_converter.decode([argument], [RunRequest]))[0]
    except Exception:  # a schedule made by something else: its argument is not ours to read
        return None
    return decoded if isinstance(decoded, RunRequest) else None


def _when(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if value else ""


async def listing(ctx: Context, as_json: bool) -> int:
    client = await ctx.client()
    rows: list[dict[str, Any]] = []
    try:
        async for entry in await client.list_schedules():
            info = entry.info
            action = entry.schedule.action if entry.schedule else None
            rows.append({
                "schedule_id": entry.id,
                "state": "paused" if entry.schedule and entry.schedule.state.paused else "active",
                "workflow": action.workflow if isinstance(action, ScheduleListActionStartWorkflow) else "",
                "last_run": _when(info.recent_actions[-1].started_at) if info and info.recent_actions else "",
                "next_run": _when(info.next_action_times[0]) if info and info.next_action_times else "",
            })  # fmt: skip
    except RPCError as exc:
        raise rpc_problem(exc, ctx.settings) from None
    rows.sort(key=lambda r: str(r["schedule_id"]))
    if as_json:
        render.print_json(ctx, rows)
    elif not rows:
        ctx.say("no schedules")
    else:
        headers = ["schedule", "state", "runs", "last run (UTC)", "next run (UTC)"]
        render.show(ctx, render.table(headers, [[str(v) for v in r.values()] for r in rows], names=["schedule"]))
    return EXIT_OK


def _missing(schedule_id: str) -> str:
    return f"schedule with id {named(schedule_id)!r}"


async def act(ctx: Context, schedule_id: str, operation: str, note: str | None = None, *, as_json: bool = False) -> int:
    client = await ctx.client()
    handle = client.get_schedule_handle(schedule_id)
    try:
        if operation == "pause":
            await handle.pause(note=note or "paused from client.py")
        elif operation == "unpause":
            await handle.unpause(note=note or "unpaused from client.py")
        elif operation == "trigger":
            await handle.trigger()
        elif operation == "delete":
            await handle.delete()
    except RPCError as exc:
        raise rpc_problem(exc, ctx.settings, missing=_missing(schedule_id)) from None
    past = {"pause": "paused", "unpause": "unpaused", "trigger": "triggered", "delete": "deleted"}[operation]
    if as_json:
        render.print_json(ctx, {"schedule_id": schedule_id, "done": past})
        return EXIT_OK
    ctx.say(f"{past} schedule {schedule_id}")
    return EXIT_OK


async def describe(ctx: Context, schedule_id: str, as_json: bool) -> int:
    client = await ctx.client()
    try:
        described = await client.get_schedule_handle(schedule_id).describe()
    except RPCError as exc:
        raise rpc_problem(exc, ctx.settings, missing=_missing(schedule_id)) from None
    schedule, info = described.schedule, described.info
    spec, action = schedule.spec, schedule.action
    when = [*(f"cron {c!r}" for c in spec.cron_expressions), *(f"every {i.every}" for i in spec.intervals)]
    request = await _request(ctx, action)
    recent = [{"started": _when(a.started_at), "workflow_id": getattr(a.action, "workflow_id", "")}
              for a in info.recent_actions]  # fmt: skip
    if as_json:
        render.print_json(ctx, {
            "schedule_id": described.id, "spec": when, "paused": schedule.state.paused, "note": schedule.state.note,
            "overlap": schedule.policy.overlap.name.lower(), "runs_started": info.num_actions,
            "next_runs": [_when(t) for t in info.next_action_times], "recent_runs": recent,
            "workflow": action.workflow if isinstance(action, ScheduleActionStartWorkflow) else None,
            "request": request,
        })  # fmt: skip
        return EXIT_OK
    ctx.say(f"schedule {described.id}: {', '.join(when) or '(calendar spec)'}")
    state = "paused" if schedule.state.paused else "active"
    ctx.say(f"state {state}{': ' + schedule.state.note if schedule.state.note else ''}  ·  overlap "
            f"{schedule.policy.overlap.name.lower()}  ·  {plural(info.num_actions, 'run')} started")  # fmt: skip
    if isinstance(action, ScheduleActionStartWorkflow):
        ctx.say(f"starts {action.workflow} on task queue {action.task_queue}")
    if request is not None:
        ctx.say(f"each run: plan {request.plan.name}, {plural(len(request.plan.nodes), 'step')}"
                + (f" (planned from the task {request.task!r})" if request.task else ""))  # fmt: skip
    if info.next_action_times:
        ctx.say("next: " + ", ".join(_when(t) for t in info.next_action_times[:3]) + " (UTC)")
    if recent:
        ctx.say()
        recent_rows = [list(r.values()) for r in recent]
        render.show(ctx, render.table(["started (UTC)", "workflow id"], recent_rows, names=["workflow id"]))
    return EXIT_OK
