"""Whole-plan validation: every problem found before anything runs, each naming its node."""

from __future__ import annotations

import difflib
from collections import Counter
from typing import Any

from pydantic import BaseModel, ValidationError

from orchestra import conditions, dag
from orchestra.errors import PlanValidationError
from orchestra.plan import Plan, PlanNode
from orchestra.references import INPUTS, MAX_DEPTH, NODE_FIELDS, SECRETS, depth_over, iter_references
from orchestra.registry import ToolRegistry
from orchestra.secrets import misplaced_secrets
from orchestra.tool_spec import RetryHints, ToolSpec


class NodeExecution(BaseModel):
    """How the workflow runs one node: the tool spec's defaults with the plan's overrides applied."""

    timeout_s: float
    heartbeat_timeout_s: float
    retry: RetryHints
    local: bool
    summary: str


class PreparedPlan(BaseModel):
    plan: Plan
    deps: dict[str, list[str]]
    phases: list[list[str]]
    execution: dict[str, NodeExecution]


# Cancellation reaches an activity only through a heartbeat, so every tool heartbeats; this bounds
# how long a cancelled or orphaned (worker died) step lingers.
DEFAULT_HEARTBEAT_TIMEOUT_S = 5.0


def prepare_plan(plan: Plan, registry: ToolRegistry) -> PreparedPlan:
    """Validate ``plan`` completely against ``registry``; raise PlanValidationError listing every problem."""
    problems: list[str] = []
    ids = [n.id for n in plan.nodes]
    duplicates = sorted(i for i, count in Counter(ids).items() if count > 1)
    problems += [f"node {d!r}: the id is used by more than one node" for d in duplicates]
    if INPUTS in ids:
        problems.append(f"node {INPUTS!r}: the id is reserved for plan inputs")
    known = set(ids)

    deps: dict[str, list[str]] = {}
    for node in plan.nodes:
        problems += _check_tool_and_args(node, registry)
        implied, ref_problems = _implied_dependencies(node, known, plan.inputs)
        problems += ref_problems
        for dep in node.depends_on:
            if dep not in known:
                problems.append(f"node {node.id!r}: depends_on names unknown node {dep!r}{_suggest(dep, known)}")
            if dep == node.id:
                problems.append(f"node {node.id!r}: depends on itself")
        deps[node.id] = sorted((set(node.depends_on) | implied) & known)

    if not problems:
        cycle = dag.find_cycle(deps)
        if cycle:
            problems.append(f"node {cycle[0]!r}: dependency cycle {' -> '.join(cycle)}")
    if problems:
        raise PlanValidationError(problems)

    return PreparedPlan(
        plan=plan,
        deps=deps,
        phases=dag.topological_phases(deps),
        execution={n.id: _execution(n, registry.get(n.tool).spec) for n in plan.nodes},
    )


def _check_tool_and_args(node: PlanNode, registry: ToolRegistry) -> list[str]:
    if node.tool not in registry:
        names = [t.name for t in registry]
        return [f"node {node.id!r}: unknown tool {node.tool!r}{_suggest(node.tool, names)}"]
    spec = registry.get(node.tool).spec
    if depth_over(node.args):
        return [f"node {node.id!r}: the arguments are nested deeper than {MAX_DEPTH} levels"]
    misplaced = misplaced_secrets(node.args, spec.secret_args)
    if misplaced:
        where = ", ".join(spec.secret_args) or "none of its arguments"
        return [
            f"node {node.id!r}: secrets are not allowed in {', '.join(misplaced)}; {spec.name} takes them in {where}"
        ]
    try:
        spec.input_model.model_validate(node.args)
    except ValidationError as exc:
        # A value holding a reference is only known at run time; the activity validates it then.
        return [
            f"node {node.id!r}: argument {'.'.join(map(str, e['loc'])) or '(all)'!s} for tool {spec.name!r}: {e['msg']}"
            for e in exc.errors()
            if not _passes_through_reference(node.args, e["loc"])
        ]
    return []


def _passes_through_reference(args: Any, loc: tuple[int | str, ...]) -> bool:
    current = args
    for part in loc:
        if isinstance(current, str):
            break
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            current = current[part]
        else:
            return False
    return isinstance(current, str) and "${" in current


def _implied_dependencies(node: PlanNode, known: set[str], inputs: dict[str, Any]) -> tuple[set[str], list[str]]:
    implied: set[str] = set()
    problems: list[str] = []
    roots: list[tuple[str, list[str]]] = list(iter_references(node.args))
    if node.condition:
        try:
            condition_roots = conditions.references(node.condition)
        except conditions.ConditionError as exc:
            problems.append(f"node {node.id!r}: {exc}")
        else:
            if any(root == SECRETS for root, _ in condition_roots):
                # A condition is evaluated in the workflow: a secret there would land in the history.
                problems.append(f"node {node.id!r}: conditions cannot read secrets")
            roots += [(root, path) for root, path in condition_roots if root != SECRETS]
    for root, path in roots:
        if root == SECRETS:
            if len(path) != 1:
                problems.append(f"node {node.id!r}: write a secret as ${{secrets.NAME}}")
        elif root == INPUTS:
            if path and path[0] not in inputs:
                problems.append(f"node {node.id!r}: references unknown input {path[0]!r}{_suggest(path[0], inputs)}")
        elif root not in known:
            problems.append(f"node {node.id!r}: references unknown node {root!r}{_suggest(root, known)}")
        elif path and path[0] not in NODE_FIELDS:
            problems.append(f"node {node.id!r}: reference to {root!r} must start with one of {list(NODE_FIELDS)}")
        elif root == node.id:
            problems.append(f"node {node.id!r}: references its own output")
        else:
            implied.add(root)
    return implied, problems


def _execution(node: PlanNode, spec: ToolSpec) -> NodeExecution:
    overrides = node.retry.model_dump(exclude_none=True) if node.retry else {}
    return NodeExecution(
        timeout_s=node.timeout_s or spec.timeout_s,
        heartbeat_timeout_s=node.heartbeat_timeout_s or spec.heartbeat_timeout_s or DEFAULT_HEARTBEAT_TIMEOUT_S,
        retry=spec.retry.model_copy(update=overrides),
        local=spec.local if node.local is None else node.local,
        summary=f"{node.id}: {spec.name}",
    )


def _suggest(name: str, candidates: Any) -> str:
    close = difflib.get_close_matches(name, list(candidates), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
