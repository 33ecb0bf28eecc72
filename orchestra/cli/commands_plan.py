"""`plan "TASK"`: analysis, selections and plan, printed without running anything (offline with the
heuristic backend); and `run_task`, which plans the same way and then runs the plan like `run --plan`.

Wiring (app.py): ``commands_plan.register(sub, parents=[common])`` adds `plan`; a `run "TASK"` form can
call ``commands_plan.run_task(ctx)`` with ``ctx.args.task`` set and the preference flags added by
``add_planning_flags``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

from orchestra.analysis.models import TaskAnalysisError
from orchestra.cli.context import Context
from orchestra.cli.errors import EXIT_FAILED, EXIT_INVALID, EXIT_OK, CliError
from orchestra.cli.output import table
from orchestra.llm.errors import LLMError
from orchestra.planning.models import PlanningResult
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from orchestra.selection.models import Preferences
from orchestra.tools.cleanup import with_support_tools


def add_planning_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--backend", choices=["heuristic", "llm"], default="heuristic",
                   help="task analysis: offline rules (default) or an OpenAI-compatible model "
                        "(ORCHESTRA_LLM_BASE_URL / ORCHESTRA_LLM_MODEL / ORCHESTRA_LLM_API_KEY)")  # fmt: skip
    group = p.add_argument_group("preferences (weights multiply the defaults 0.3/0.2/0.3/0.2)")
    group.add_argument("--performance", type=float, default=1.0, metavar="W", help="weight of speed (default 1)")
    group.add_argument("--cost", type=float, default=1.0, metavar="W", help="weight of low cost (default 1)")
    group.add_argument("--reliability", type=float, default=1.0, metavar="W", help="weight of reliability (default 1)")
    group.add_argument("--compatibility", type=float, default=1.0, metavar="W", help="weight of type fit (default 1)")
    group.add_argument("--max-parallel", type=int, metavar="N", help="at most N steps at once")
    group.add_argument("--time-budget", type=float, metavar="S", help="global deadline in seconds")
    group.add_argument("--max-cost", type=float, metavar="C", help="refuse tools costing more than C per call")
    p.add_argument("--input", action="append", metavar="K=V", help="plan input (e.g. an API key the plan asks for)")


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], parents: Sequence[argparse.ArgumentParser] = ()
) -> None:
    text = "analyse a task, select tools and print the plan (runs nothing; offline with --backend heuristic)"
    p = subparsers.add_parser("plan", parents=list(parents), help=text, description=text)
    p.add_argument(
        "task",
        metavar="TASK",
        help='e.g. "download these three URLs ..., extract the titles and write them to titles.json"',
    )
    p.add_argument("--json", action="store_true", help="print analysis, selections and plan as JSON")
    if not parents:
        p.add_argument("--registry", action="append", metavar="FILE", help="extra tool file (YAML/JSON)")
    add_planning_flags(p)
    p.set_defaults(handler=cmd_plan)


def preferences_from(args: argparse.Namespace) -> Preferences:
    try:
        return Preferences(
            performance=getattr(args, "performance", 1.0),
            cost=getattr(args, "cost", 1.0),
            reliability=getattr(args, "reliability", 1.0),
            compatibility=getattr(args, "compatibility", 1.0),
            max_parallel=getattr(args, "max_parallel", None),
            time_budget_s=getattr(args, "time_budget", None),
            max_cost=getattr(args, "max_cost", None),
        )
    except ValueError as exc:
        raise CliError(f"bad preference: {exc}", EXIT_INVALID) from None


async def planned(ctx: Context) -> PlanningResult:
    try:
        registry = default_registry(ctx.settings.registry_files)
    except Exception as exc:
        raise CliError(f"cannot load the tool registry: {exc}", EXIT_INVALID) from None
    with_support_tools(registry)
    try:
        return await plan_task(
            ctx.args.task,
            registry,
            backend=getattr(ctx.args, "backend", "heuristic"),
            preferences=preferences_from(ctx.args),
        )
    except TaskAnalysisError as exc:
        raise CliError(f"cannot analyse the task: {exc}", EXIT_INVALID) from None
    except LLMError as exc:
        raise CliError(f"the llm backend failed: {exc}", EXIT_FAILED) from None


def render_planning(result: PlanningResult) -> str:
    a, ex = result.analysis, result.execution
    lines = [
        f"task: {a.task}",
        f"analysis ({a.backend}): {a.complexity.value} (score {a.complexity_score}), about {a.estimated_duration_s} s, "
        f"capabilities {', '.join(a.required_capabilities)}",
    ]
    if a.risk_factors:
        lines.append("risks: " + "; ".join(a.risk_factors))
    lines += [f"note: {n}" for n in a.notes]
    rows = [
        [s.step, s.capability, s.selected.tool if s.selected else "—", f"{s.selected.overall:.2f}" if s.selected else "",
         ", ".join(x.tool for x in s.alternatives), s.reason]
        for s in result.selections
    ]  # fmt: skip
    lines += ["", table(["step", "capability", "tool", "score", "alternatives", "reason"], rows), ""]
    if ex.plan is None:
        lines += ["no runnable plan:", *(f"  - {p}" for p in ex.problems)]
        return "\n".join(lines)
    if ex.missing:
        lines += ["missing (creation required; the plan below holds the rest):", *(f"  - {m}" for m in ex.missing), ""]
    plan = ex.plan
    lines.append(
        f"plan {plan.name!r}: {len(plan.nodes)} steps in {len(ex.phases)} phases, estimate {ex.estimated_duration_s} s, "
        f"timeout {plan.timeout_s} s, max_parallel {plan.max_parallel}"
    )
    for phase in ex.phases:
        nodes = ", ".join(f"{n} ({plan.node(n).tool})" for n in phase.nodes)
        lines.append(f"  {phase.phase_id}{' (parallel)' if phase.parallel_execution else ''}: {nodes}")
    for node in plan.nodes:
        extra = []
        if node.alternatives:
            extra.append("fallbacks " + ", ".join(f.tool for f in node.alternatives))
        if node.compensation:
            extra.append(f"undo {node.compensation.tool}")
        deps = f" after {', '.join(node.depends_on)}" if node.depends_on else ""
        lines.append(
            f"    {node.id}: {node.tool} {json.dumps(node.args)}{deps}{'  [' + '; '.join(extra) + ']' if extra else ''}"
        )
    lines.append(f"critical path: {' -> '.join(ex.critical_path)}")
    if ex.missing_inputs:
        lines.append("needs inputs: " + ", ".join(f"--input {m}=..." for m in ex.missing_inputs))
    lines += [f"warning: {w}" for w in ex.warnings]
    return "\n".join(lines)


async def cmd_plan(ctx: Context) -> int:
    result = await planned(ctx)
    if ctx.args.json:
        ctx.say(result.model_dump_json(indent=2))
    else:
        ctx.say(render_planning(result))
    return EXIT_OK if result.execution.plan is not None else EXIT_INVALID


async def run_task(ctx: Context) -> int:
    """`run "TASK"`: plan as `plan` does, then start and follow the plan like `run --plan`."""
    from orchestra.cli.commands_run import parse_inputs, start_and_follow
    from orchestra.validation import prepare_plan

    result = await planned(ctx)
    as_json = bool(getattr(ctx.args, "json", False))
    stream = ctx.err if as_json else ctx.out
    print(render_planning(result), file=stream, flush=True)
    plan = result.execution.plan
    if plan is None:
        raise CliError("nothing was started: the task has no runnable plan", EXIT_INVALID)
    if result.execution.missing:
        raise CliError("nothing was started: part of the task has no tool (see 'missing' above)", EXIT_INVALID)
    inputs = {**plan.inputs, **parse_inputs(getattr(ctx.args, "input", None))}
    missing = [m for m in result.execution.missing_inputs if inputs.get(m) is None]
    if missing:
        raise CliError("nothing was started: give " + ", ".join(f"--input {m}=..." for m in missing), EXIT_INVALID)
    registry = default_registry(ctx.settings.registry_files)
    with_support_tools(registry)
    prepared = prepare_plan(plan.model_copy(update={"inputs": inputs}), registry)
    if not hasattr(ctx.args, "id"):
        ctx.args.id = None
    return await start_and_follow(ctx, prepared)
