"""What the offline planner reads in a request, for the tests of its reading: the tool each step gets
and the candidate sub-goals, so each test says only the request and what it expects."""

from __future__ import annotations

from pathlib import Path

from orchestra.analysis import analyse_heuristic
from orchestra.analysis.clauses import clauses
from orchestra.analysis.data import extract
from orchestra.plan import Plan, PlanNode
from orchestra.planning.pipeline import plan_task
from orchestra.registry import ToolRegistry, default_registry
from orchestra.tools.cleanup import with_support_tools

MEDIA = Path(__file__).with_name("media_tools.yaml")
ARCHIVE = Path(__file__).with_name("archive_tools.yaml")  # no tool says "category", "compare" or "improve"


def as_the_cli_plans(*catalogues: Path) -> ToolRegistry:
    """The built-ins, ``catalogues`` and the tools the engine adds (delete_file, for compensations), as
    `client.py plan` / `run` have them (`registry_for(..., support_tools=True)`)."""
    registry = default_registry(list(catalogues))
    with_support_tools(registry)
    return registry


def tools_chosen(task: str, tools: ToolRegistry | Path = MEDIA) -> list[str]:
    """The tool chosen for each step of the analysis ("-": missing), with the media catalogue unless told."""
    registry = tools if isinstance(tools, ToolRegistry) else default_registry([tools])
    return [s.candidates[0] if s.candidates else "-" for s in analyse_heuristic(task, registry).steps]


def clauses_read(text: str) -> list[tuple[str, bool]]:
    """Each candidate sub-goal of ``text`` and whether it is asked for."""
    return [(c.text, c.asked) for c in clauses(text, lambda word: False)]


def clauses_without_data(text: str) -> list[tuple[str, bool]]:
    """The same with the request's data taken out first, as the planner reads it; whitespace folded."""
    return [(" ".join(c.text.split()), c.asked) for c in clauses(extract(text).text, lambda word: False)]


async def whole_plan(task: str, tools: Path = MEDIA) -> Plan:
    """The plan made for ``task`` (the media catalogue unless told), asserting no step is missing and no
    input is asked for: the tests of links expect the planner to have found everything."""
    result = await plan_task(task, default_registry([tools]))
    assert not result.execution.missing, result.execution.missing
    assert not result.execution.missing_inputs, result.execution.missing_inputs
    assert result.execution.plan is not None
    return result.execution.plan


async def plan_read(task: str, *catalogues: Path) -> tuple[list[PlanNode], list[str], list[str]]:
    """The plan's steps for ``task`` with the built-ins and ``catalogues``, its warnings and the inputs it asks
    for: the tests of literals look at what was bound, what was warned of and what is still asked."""
    result = await plan_task(task, default_registry(list(catalogues)))
    assert result.execution.plan is not None, result.execution.problems
    return result.execution.plan.nodes, result.execution.warnings, result.execution.missing_inputs


def output_of(node_id: str, field: str = "content") -> str:
    """The reference to a node's output field, as a plan writes it."""
    return f"${{{node_id}.output.{field}}}"


async def shell_commands(task: str) -> tuple[list[object], list[str]]:
    """The command each shell call of ``task``'s plan runs (media catalogue), and the plan's warnings."""
    result = await plan_task(task, default_registry([MEDIA]))
    assert result.execution.plan is not None, result.execution.problems
    return [n.args.get("cmd") for n in result.execution.plan.nodes if n.tool == "shell"], result.execution.warnings


async def calls_asked_and_said(
    task: str, *catalogues: Path
) -> tuple[list[tuple[str, dict[str, object]]], list[str], list[str]]:
    """Each call's tool and arguments as `client.py plan` makes them, the inputs asked for, and the analysis's
    notes with the plan's warnings: the tests of values said look at what was read and why the rest is asked."""
    result = await plan_task(task, as_the_cli_plans(*catalogues))
    assert result.execution.plan is not None, result.execution.problems
    calls = [(n.tool, n.args) for n in result.execution.plan.nodes]
    return calls, result.execution.missing_inputs, [*result.analysis.notes, *result.execution.warnings]
