"""`run`, `start` and `validate`: a plan file (or a task, planned here) is checked whole before anything
starts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from orchestra.cli.errors import EXIT_INVALID, EXIT_OK, CliError
from orchestra.cli.options import RUN, command, id_option, inputs_option, json_option, plan_option, task_text

if TYPE_CHECKING:
    from orchestra.cli.context import Context
    from orchestra.cli.planning import TaskOptions

F = TypeVar("F", bound=Callable[..., Any])


def task_options(fn: F) -> F:
    """How a task becomes a plan: the analysis backend and the selection preferences."""
    for decorator in reversed([
        click.option("--backend", type=click.Choice(["heuristic", "llm"]), default="heuristic",
                     help="task analysis: offline rules (default) or an OpenAI-compatible model (ORCHESTRA_LLM_*)"),
        click.option("--performance", type=float, default=1.0, metavar="W", help="weight of speed (default 1)"),
        click.option("--cost", type=float, default=1.0, metavar="W", help="weight of low cost (default 1)"),
        click.option("--reliability", type=float, default=1.0, metavar="W", help="weight of reliability (default 1)"),
        click.option("--compatibility", type=float, default=1.0, metavar="W", help="weight of type fit (default 1)"),
        click.option("--max-parallel", type=int, metavar="N", help="at most N steps at once"),
        click.option("--time-budget", type=float, metavar="S", help="global deadline in seconds"),
        click.option("--max-cost", type=float, metavar="C", help="refuse tools costing more than C per call"),
    ]):  # fmt: skip
        fn = decorator(fn)
    return fn


def options_from(values: dict[str, Any]) -> TaskOptions:
    from orchestra.cli.planning import TaskOptions

    names = (
        "backend",
        "performance",
        "cost",
        "reliability",
        "compatibility",
        "max_parallel",
        "time_budget",
        "max_cost",
    )
    return TaskOptions(**{name: values.pop(name) for name in names})


@command("run", section=RUN, help="run a plan file (--plan) or a plain-language task; show progress, then the record")
@click.argument("task", required=False, metavar="[TASK]", callback=task_text)
@plan_option(required=False)
@inputs_option
@id_option
@json_option
@task_options
@click.option(
    "--allow-secrets", is_flag=True,
    help="a task's plan may use the worker's ${secrets.*} (by default it may not: you vouch for the task's text)",
)  # fmt: skip
async def run(
    ctx: Context, task: str | None, plan_file: str | None, inputs: tuple[str, ...], workflow_id: str | None,
    as_json: bool, allow_secrets: bool, **planning: Any,
) -> int:  # fmt: skip
    from orchestra.cli import launch, plans

    if bool(task) == bool(plan_file):
        raise CliError("give either a task or --plan FILE (not both)", EXIT_INVALID)
    if plan_file:
        prepared = await plans.checked_plan_interruptible(ctx, plan_file, inputs)
        started = await launch.start_plan(ctx, prepared, workflow_id)
        return await launch.follow_and_report(ctx, started, as_json=as_json, announce=True)
    from orchestra.cli import planning as task_planning
    from orchestra.cli.render import show

    assert task is not None
    result = await task_planning.planned(ctx, task, options_from(planning))
    show(ctx, task_planning.render_planning(result), stream=ctx.err if as_json else ctx.out)
    prepared = task_planning.runnable(ctx, result, inputs)
    started = await launch.start_plan(ctx, prepared, workflow_id, task=task, task_secrets=allow_secrets)
    return await launch.follow_and_report(ctx, started, as_json=as_json, announce=True)


@command("start", section=RUN, help="validate a plan and start it without waiting (prints only the id on stdout)")
@plan_option(required=True)
@inputs_option
@id_option
@json_option
async def start(ctx: Context, plan_file: str, inputs: tuple[str, ...], workflow_id: str | None, as_json: bool) -> int:
    from orchestra.cli import launch, plans

    prepared = await plans.checked_plan_interruptible(ctx, plan_file, inputs)
    started = await launch.start_plan(ctx, prepared, workflow_id)
    if as_json:  # a script's one document: the id, and where the run went
        from orchestra.cli.json_output import print_json

        print_json(ctx, {"workflow_id": started, "plan": prepared.plan.name, "task_queue": ctx.settings.task_queue,
                         "namespace": ctx.settings.namespace, "web_ui": ctx.ui_url(started)})  # fmt: skip
        return EXIT_OK
    ctx.say(started)
    ctx.note(f"started on task queue {ctx.settings.task_queue!r}; Web UI: {ctx.ui_url(started)}")
    return EXIT_OK


@command("validate", section=RUN, help="check a plan against the tool registry (nothing runs, no server needed)")
@plan_option(required=True)
@inputs_option
@json_option
async def validate(ctx: Context, plan_file: str, inputs: tuple[str, ...], as_json: bool) -> int:
    from orchestra.cli import plans, render

    try:
        prepared = await plans.checked_plan_interruptible(ctx, plan_file, inputs)
    except plans.InvalidPlan as exc:
        if not as_json:
            raise
        render.print_json(ctx, {"valid": False, "problems": exc.problems})
        return exc.code
    from orchestra.validation import unchecked_note

    plan = prepared.plan
    if as_json:
        shown = {"valid": True, "plan": plan.name, "steps": len(plan.nodes), "phases": prepared.phases}
        if prepared.unchecked_count:  # what the plan's check budget left to the run
            shown |= {"unchecked": prepared.unchecked, "unchecked_count": prepared.unchecked_count}
        render.print_json(ctx, shown)
        return EXIT_OK
    ctx.say(f"plan {plan.name!r} is valid: {plans.plan_summary(prepared).split(': ', 1)[1]}")
    for line in plans.phase_lines(prepared):
        ctx.say(f"  {line}")
    if note := unchecked_note(prepared):
        ctx.note(note)
    return EXIT_OK
