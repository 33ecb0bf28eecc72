"""`run`, `start` and `validate`: a plan file is checked here, completely, before anything starts."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from temporalio.common import WorkflowIDConflictPolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError

from orchestra.calls import RunRequest
from orchestra.cli.context import Context, rpc_problem
from orchestra.cli.errors import EXIT_FAILED, EXIT_INVALID, EXIT_OK, CliError
from orchestra.cli.observe import COMPLETED, WORKFLOW_TYPE, follow
from orchestra.cli.output import Progress, render_record
from orchestra.errors import PlanValidationError
from orchestra.limits import check_limits
from orchestra.plan import Plan, load_plan
from orchestra.registry import default_registry
from orchestra.validation import PreparedPlan, prepare_plan


def parse_inputs(pairs: list[str] | None) -> dict[str, Any]:
    """``k=v`` pairs; a value that parses as JSON keeps its type (``n=3`` is a number)."""
    inputs: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise CliError(f"--input expects key=value, got {pair!r}", EXIT_INVALID)
        try:
            inputs[key.strip()] = json.loads(raw)
        except ValueError:
            inputs[key.strip()] = raw
    return inputs


def checked_plan(ctx: Context) -> PreparedPlan:
    """Load and validate the plan against the registry; on problems print each one and stop (exit 2)."""
    path = ctx.args.plan
    try:
        registry = default_registry(ctx.settings.registry_files)
    except Exception as exc:  # a broken tool file is a bad-input problem too
        raise CliError(f"cannot load the tool registry: {exc}", EXIT_INVALID) from None
    try:
        plan = load_plan(path, parse_inputs(getattr(ctx.args, "input", None)), ctx.settings)
        prepared = prepare_plan(plan, registry)
        check_limits(prepared, ctx.settings)
        return prepared
    except PlanValidationError as exc:
        lines = [f"plan {path} is invalid ({len(exc.problems)} problem{'s' if len(exc.problems) != 1 else ''}):"]
        lines += [f"  - {p}" for p in exc.problems]
        lines.append("nothing was started.")
        raise CliError("\n".join(lines), EXIT_INVALID) from None


def workflow_id_for(plan: Plan) -> str:
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", plan.name).strip("-")[:80] or "plan"  # ids stop at 1,000
    return f"plan-{slug}-{uuid.uuid4().hex[:8]}"


async def start_plan(ctx: Context, prepared: PreparedPlan) -> str:
    client = await ctx.client()
    plan = prepared.plan
    workflow_id = ctx.args.id or workflow_id_for(plan)
    summary = f"plan {plan.name}: {len(plan.nodes)} steps in {len(prepared.phases)} phases"
    try:
        await client.start_workflow(
            WORKFLOW_TYPE,
            RunRequest(plan=plan),
            id=workflow_id,
            task_queue=ctx.settings.task_queue,
            static_summary=summary,
            static_details=plan.description,
            id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
        )
    except WorkflowAlreadyStartedError:
        raise CliError(f"a workflow with id {workflow_id!r} is already running", EXIT_INVALID) from None
    except RPCError as exc:
        raise rpc_problem(exc, ctx.settings) from None
    return workflow_id


async def cmd_validate(ctx: Context) -> int:
    prepared = checked_plan(ctx)
    plan = prepared.plan
    ctx.say(f"plan {plan.name!r} is valid: {len(plan.nodes)} steps in {len(prepared.phases)} phases")
    for i, phase in enumerate(prepared.phases):
        ctx.say(f"  phase {i}: {', '.join(f'{n} ({plan.node(n).tool})' for n in phase)}")
    return EXIT_OK


async def cmd_start(ctx: Context) -> int:
    prepared = checked_plan(ctx)
    workflow_id = await start_plan(ctx, prepared)
    ctx.say(workflow_id)
    ctx.note(f"started on task queue {ctx.settings.task_queue!r}; Web UI: {ctx.ui_url(workflow_id)}")
    return EXIT_OK


async def cmd_run(ctx: Context) -> int:
    return await start_and_follow(ctx, checked_plan(ctx))


async def start_and_follow(ctx: Context, prepared: PreparedPlan) -> int:
    """Start the run, show its progress until it ends, then its record; 0 only if it COMPLETED."""
    workflow_id = await start_plan(ctx, prepared)
    as_json = bool(getattr(ctx.args, "json", False))
    # With --json, stdout carries the record only; progress goes to stderr.
    stream = ctx.err if as_json else ctx.out
    print(f"started {workflow_id} — {ctx.ui_url(workflow_id)}", file=stream, flush=True)
    status, record = await follow(ctx, workflow_id, Progress(stream))
    if as_json:
        ctx.say(record.model_dump_json(indent=2) if record else "null")
    elif record is not None:
        ctx.say()
        ctx.say(render_record(record, status=status.name))
    else:
        ctx.say(f"run {workflow_id} ended {status.name}; its record is not available")
    return EXIT_OK if status.status == COMPLETED else EXIT_FAILED
