"""A task turned into a plan in this process (analysis, selection, planning), what `plan` prints about
it, and the runnable plan it yields: for `plan`, `run "TASK"` and `schedule create --task`."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from orchestra import regex_cache
from orchestra.analysis.models import TaskAnalysisError
from orchestra.cli.context import Context
from orchestra.cli.errors import EXIT_FAILED, EXIT_INVALID, CliError, by_flag, problem_lines
from orchestra.cli.plans import checked, parse_inputs, registry_for
from orchestra.interruptible import run_interruptibly
from orchestra.plan import Plan
from orchestra.plan_file import dump_yaml
from orchestra.planning.models import PlanningResult
from orchestra.planning.pipeline import plan_task
from orchestra.selection.models import Preferences
from orchestra.text import plural
from orchestra.validation import PreparedPlan

if TYPE_CHECKING:  # rich is imported where a plan is shown as text: `plan --json` never needs it
    from rich.console import Group


@dataclass
class TaskOptions:
    """How to turn a task into a plan: the analysis backend and the selection preferences."""

    backend: str = "heuristic"
    performance: float = 1.0
    cost: float = 1.0
    reliability: float = 1.0
    compatibility: float = 1.0
    max_parallel: int | None = None
    time_budget: float | None = None
    max_cost: float | None = None

    def preferences(self) -> Preferences:
        """The preferences, or each bad one said by its flag: pydantic's report (its field names, a link
        to its docs) was printed as it came, and ``inf`` was taken (a weight of inf/inf is no number)."""
        given = {"performance": self.performance, "cost": self.cost, "reliability": self.reliability,
                 "compatibility": self.compatibility, "max_parallel": self.max_parallel,
                 "time_budget_s": self.time_budget, "max_cost": self.max_cost}  # fmt: skip
        flag = {name: "--" + name.removesuffix("_s").replace("_", "-") for name in given}
        try:
            preferences = Preferences(**given)
        except ValidationError as exc:
            problems = by_flag(exc, flag)
            raise CliError("bad preference: " + "; ".join(problems), EXIT_INVALID) from None
        return preferences


async def planned(ctx: Context, task: str, options: TaskOptions) -> PlanningResult:
    if not task.strip():
        raise CliError("the task is empty", EXIT_INVALID)
    registry = registry_for(ctx, support_tools=True)
    preferences = options.preferences()

    def plan_off_the_loop() -> PlanningResult:
        try:
            return asyncio.run(plan_task(task, registry, backend=options.backend, preferences=preferences))  # type: ignore[arg-type]
        finally:
            regex_cache.keep()  # the patterns this task reached, compiled for the next call

    try:
        # The planner's CPU work (seconds for a long task) in a thread with a loop of its own: on this loop it
        # held Ctrl-C (asyncio cancels the command's task, which only a later await sees) until the plan was
        # made and printed. Now the command stops at once and exits 130; the process ends with its thread.
        return await run_interruptibly(plan_off_the_loop, interrupt=False)
    except TaskAnalysisError as exc:
        raise CliError(f"cannot analyse the task: {exc}", EXIT_INVALID) from None
    except Exception as exc:
        # Imported here, not at start-up: the LLM client brings httpx and Temporal's SDK, which an
        # offline `plan` never needs (the llm backend has loaded it by the time it fails).
        from orchestra.llm.errors import LLMError

        if isinstance(exc, LLMError):
            raise CliError(f"the llm backend failed: {exc}", EXIT_FAILED) from None
        raise


def runnable(ctx: Context, result: PlanningResult, inputs: tuple[str, ...] | list[str] | None) -> PreparedPlan:
    """The task's plan with the user's inputs, validated as a plan file would be; exit 2 if there is none."""
    plan = result.execution.plan
    if plan is None:
        problems = result.execution.problems or ["no tool can do it"]
        raise CliError("\n".join(["the task has no runnable plan:", *problem_lines(problems),
                                  "nothing was started."]), EXIT_INVALID)  # fmt: skip
    if result.execution.missing:
        raise CliError("\n".join(["the task has no runnable plan: part of it has no tool (see 'missing' in `plan`):",
                                  *problem_lines(result.execution.missing, "missing part"), "nothing was started."]),
                       EXIT_INVALID)  # fmt: skip
    given = {**plan.inputs, **parse_inputs(inputs)}
    missing = [m for m in result.execution.missing_inputs if given.get(m) is None]
    if missing:
        raise CliError("nothing was started: give " + ", ".join(f"--input {m}=..." for m in missing), EXIT_INVALID)
    return checked(ctx, plan.model_copy(update={"inputs": given}), f"the plan for {result.analysis.task!r}",
                   support_tools=True)  # fmt: skip


def plan_file_text(plan: Plan) -> str:
    """The plan as a YAML plan file `run --plan` accepts (only what differs from the defaults)."""
    data: dict[str, Any] = plan.model_dump(mode="json", exclude_defaults=True)
    data = {"name": plan.name, **data}  # the name first, even when it is the default
    return dump_yaml(data)


def render_planning(result: PlanningResult) -> Group:
    from rich.console import Group
    from rich.text import Text

    from orchestra.cli import render

    a, ex = result.analysis, result.execution
    head = [
        f"task: {a.task}",
        f"analysis ({a.backend}): {a.complexity.value} (score {a.complexity_score}), about {a.estimated_duration_s} s, "
        f"capabilities {', '.join(a.required_capabilities)}",
    ]
    if a.risk_factors:
        head.append("risks: " + "; ".join(a.risk_factors))
    head += [f"note: {n}" for n in a.notes]
    rows = [
        [s.step, s.capability, s.selected.tool if s.selected else "—", f"{s.selected.overall:.2f}" if s.selected else "",
         ", ".join(x.tool for x in s.alternatives), s.reason]
        for s in result.selections
    ]  # fmt: skip
    selections = render.table(["step", "capability", "tool", "score", "alternatives", "reason"], rows, wide=["reason"])
    parts: list[Any] = [Text("\n".join(head)), Text(), selections, Text()]
    if ex.plan is None:
        parts.append(Text("\n".join(["no runnable plan:", *problem_lines(ex.problems)])))
        return Group(*parts)
    if ex.missing:
        parts.append(Text("\n".join(["missing (creation required; the plan below holds the rest):",
                                     *problem_lines(ex.missing, "missing part"), ""])))  # fmt: skip
    plan = ex.plan
    lines = [
        f"plan {plan.name!r}: {plural(len(plan.nodes), 'step')} in {plural(len(ex.phases), 'phase')}, "
        f"estimate {ex.estimated_duration_s} s, timeout {plan.timeout_s} s, max_parallel {plan.max_parallel}"
    ]
    for index, phase in enumerate(ex.phases):
        nodes = ", ".join(f"{n} ({plan.node(n).tool})" for n in phase.nodes)
        lines.append(f"  phase {index}{' (parallel)' if phase.parallel_execution else ''}: {nodes}")
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
    parts.append(Text("\n".join(lines)))
    return Group(*parts)
