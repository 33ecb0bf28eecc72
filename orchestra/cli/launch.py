"""Starting runs and following them to their end: what `run`, `start`, `agent`, `watch`, `result` and
`demo` share (plans are validated first: plans.py)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from temporalio.common import WorkflowIDConflictPolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError

from orchestra.calls import RunRequest
from orchestra.cli import render, runs
from orchestra.cli.context import Context, rpc_problem
from orchestra.cli.errors import EXIT_FAILED, EXIT_INVALID, EXIT_OK, CliError
from orchestra.cli.naming import cut_in, named
from orchestra.cli.progress import Progress
from orchestra.temporal_bounds import MAX_ID_LENGTH, WORKFLOW_TASK_TIMEOUT
from orchestra.text import printable

if TYPE_CHECKING:  # `status`, `watch`, `result` follow runs with this module and never validate a plan
    from orchestra.validation import PreparedPlan


def new_id(kind: str, name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")[:60] or kind
    return f"{kind}-{slug}-{uuid.uuid4().hex[:8]}"


async def start_workflow(
    ctx: Context, workflow: str, args: Sequence[Any], workflow_id: str, summary: str, details: str | None = None
) -> str:
    size = len(workflow_id.encode(errors="surrogateescape"))  # an argument's bytes that are not UTF-8
    if size > MAX_ID_LENGTH:  # Temporal counts the id's UTF-8 bytes
        raise CliError(
            f"--id is {len(workflow_id):,} characters long, {size:,} bytes in UTF-8: Temporal takes at most "
            f"{MAX_ID_LENGTH:,} bytes (limit.maxIDLength); nothing was started",
            EXIT_INVALID,
        )
    client = await ctx.client()
    try:
        await client.start_workflow(
            workflow, args=args, id=workflow_id, task_queue=ctx.settings.task_queue, static_summary=printable(summary),
            static_details=None if details is None else printable(details), id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
            task_timeout=WORKFLOW_TASK_TIMEOUT,
        )  # fmt: skip
    except WorkflowAlreadyStartedError:
        raise CliError(f"a workflow with id {named(workflow_id)!r} is already running", EXIT_INVALID) from None
    except RPCError as exc:
        raise rpc_problem(exc, ctx.settings) from None
    return workflow_id


async def start_plan(
    ctx: Context, prepared: PreparedPlan, workflow_id: str | None, task: str | None = None, task_secrets: bool = False
) -> str:
    from orchestra.cli.plans import plan_summary
    from orchestra.plan_chain import first_run_args
    from orchestra.plan_start import by_reference

    plan = prepared.plan
    workflow_id = workflow_id or new_id("plan", plan.name)
    request = RunRequest(plan=plan, task=task, task_secrets=task_secrets)
    # A large plan's steps stored before the start: the run's first activation decodes one piece of them.
    request = await by_reference(await ctx.client(), request, workflow_id, ctx.settings)
    return await start_workflow(
        ctx, runs.WORKFLOW_TYPES[runs.Kind.PLAN], first_run_args(request), workflow_id, plan_summary(prepared),
        plan.description,
    )  # fmt: skip


def exit_code(view: runs.RunView) -> int:
    """0 only for a run that completed (an agent run: with its task verified done); 2 for a run whose
    request the worker refused before its first step (a tool it does not know): nothing was done."""
    if not view.status.completed:
        return EXIT_INVALID if refused_request(view.record) else EXIT_FAILED
    return EXIT_OK if view.record is None or view.record.success else EXIT_FAILED


def refused_request(record: object) -> bool:
    """Whether the run ended refused as invalid with none of its steps started (the worker's own check of
    a plan or an agent's request: its registry may differ from the client's)."""
    from orchestra.agent.models import AgentExecution
    from orchestra.errors import ErrorKind
    from orchestra.record import ExecutionRecord, StepState

    if not isinstance(record, AgentExecution | ExecutionRecord) or record.error is None:
        return False
    if record.error.type != ErrorKind.VALIDATION:
        return False
    if isinstance(record, AgentExecution):
        return record.step_count == 0
    return not record.earlier and all(step.state == StepState.PENDING for step in record.steps)


async def follow_and_report(ctx: Context, workflow_id: str, *, as_json: bool, announce: bool = False) -> int:
    """Show the run's progress until it ends, then its record (stdout carries only the record with
    ``--json``: progress goes to stderr); the exit code says how it ended."""
    stream = ctx.err if as_json else ctx.out
    if announce:
        print(printable(f"started {workflow_id} — {ctx.ui_url(workflow_id)}"), file=stream, flush=True)
    with Progress(ctx.console(stream)) as progress:
        view = await runs.follow(ctx, workflow_id, progress.update)
    report(ctx, view, as_json=as_json)
    return exit_code(view)


def report(ctx: Context, view: runs.RunView, *, as_json: bool) -> None:
    if as_json:
        render.print_json(ctx, json_view(view))
    else:
        render.show(ctx, "", render.run_view(view))


def json_view(view: runs.RunView) -> Any:
    """What ``--json`` prints for a run: its record (a task run: planning and the plan run's record)."""
    if view.status.kind == runs.Kind.TASK:
        return {"planning": view.planning, "record": view.record, "problem": view.problem}
    return view.record


async def print_step_output(ctx: Context, view: runs.RunView, node_id: str, *, as_json: bool) -> int:
    """One step's full output, wherever it is kept (orchestra/storage/step_output.py)."""
    from orchestra.record import ExecutionRecord
    from orchestra.storage.step_output import NoOutput, UnknownStep, step_output

    record = view.record
    if not isinstance(record, ExecutionRecord):
        raise CliError(
            f"run {named(view.status.workflow_id)} has no plan record to read a step's output from", EXIT_FAILED
        )
    try:
        output = await step_output(await ctx.client(), record, node_id)
    except NoOutput as exc:  # a step the run lacks is a mistyped name, as an unknown tool is: exit 2
        said = cut_in(str(exc), [record.id, node_id, *(step.node_id for step in record.steps)])
        raise CliError(said, EXIT_INVALID if isinstance(exc, UnknownStep) else EXIT_FAILED) from None
    if isinstance(output, str) and not as_json:
        ctx.say(output)
    else:
        render.print_json(ctx, output)
    return EXIT_OK
