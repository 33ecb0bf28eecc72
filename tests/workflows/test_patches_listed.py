"""Every patch a workflow's code asks is in the list its run asks at its start (workflows/patches_at_start.py), and
that is the first thing the run does: a patch left out is asked where the code meets it, maybe after a local
activity's result, which a replay may reach in another workflow task than the run did (a nondeterminism error).

Read from the source: the workflow.patched(...) and ask_before_reading(...) calls of every module of workflows/, and
the modules each workflow's code imports (a module defining another workflow, a child's, is not its code)."""

from __future__ import annotations

import ast
import hashlib
import importlib
from functools import cache
from pathlib import Path

import pytest

from workflows.patches_at_start import (
    AGENT_LATER,
    AGENT_PATCHES,
    GATE_PATCH,
    ORCHESTRATION_LATER,
    ORCHESTRATION_PATCHES,
    SECOND_GATE_PATCH,
    TAKEN_AT_THE_SECOND_GATE,
)

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"
LISTS = {
    "OrchestrationWorkflow": ORCHESTRATION_PATCHES + ORCHESTRATION_LATER,
    "AgentWorkflow": AGENT_PATCHES + AGENT_LATER,
}
LIST_NAMES = {"OrchestrationWorkflow": "ORCHESTRATION_LATER", "AgentWorkflow": "AGENT_LATER"}
# What a run with the gate takes unasked: a patch added here would be taken by runs recorded before it existed.
BEFORE_THE_GATE = "539bc520"
BEFORE_THE_SECOND_GATE = "fe3c56e3"
ASKING = {"patched", "deprecate_patch", "ask_before_reading"}  # what asks the history for a patch
HELPERS = {"ask_before_reading", "ask_at_start"}  # ask the patch they are given
MODULES = sorted(p.stem for p in WORKFLOWS.glob("*.py") if p.stem not in {"__init__", "patches_at_start"})


@cache
def tree(module: str) -> ast.Module:
    return ast.parse((WORKFLOWS / f"{module}.py").read_text())


def asked_in(module: str) -> set[str]:
    """The ids ``module`` asks: each call's argument resolved to the module's constant."""
    loaded = importlib.import_module(f"workflows.{module}")
    helpers = {
        id(n) for f in ast.walk(tree(module)) if isinstance(f, ast.FunctionDef) and f.name in HELPERS
        for n in ast.walk(f)
    }  # fmt: skip
    asked: set[str] = set()
    for call in (n for n in ast.walk(tree(module)) if isinstance(n, ast.Call) and id(n) not in helpers):
        callee = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", None)
        if callee not in ASKING:
            continue
        argument = call.args[0]
        assert isinstance(argument, ast.Name), f"{module}:{call.lineno}: ask a patch by its constant's name"
        value = getattr(loaded, argument.id, None)
        assert isinstance(value, str), f"{module}:{call.lineno}: {argument.id} is no module constant"
        asked.add(value)
    return asked


def imported_by(module: str) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree(module)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("workflows."):
            found.add(node.module.removeprefix("workflows."))
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("workflows.") for a in node.names if a.name.startswith("workflows.")}
    return found & set(MODULES)


def workflows_defined(module: str) -> dict[str, ast.ClassDef]:
    """The workflow classes ``module`` defines, by their registered name."""
    found: dict[str, ast.ClassDef] = {}
    for node in (n for n in tree(module).body if isinstance(n, ast.ClassDef)):
        for decorator in node.decorator_list:
            if isinstance(decorator, ast.Call) and ast.unparse(decorator.func) == "workflow.defn":
                names = [k.value for k in decorator.keywords if k.arg == "name"]
                found[ast.literal_eval(names[0]) if names else node.name] = node
    return found


def code_of(module: str) -> set[str]:
    """``module`` and the modules it imports, through the ones they import, short of another workflow's."""
    seen, todo = {module}, [module]
    while todo:
        for other in imported_by(todo.pop()) - seen:
            if not workflows_defined(other):
                seen.add(other)
                todo.append(other)
    return seen


DEFINED = {name: (module, cls) for module in MODULES for name, cls in workflows_defined(module).items()}


def test_every_workflow_asking_a_patch_has_a_list() -> None:
    asking = {name for name, (module, _) in DEFINED.items() if any(asked_in(m) for m in code_of(module))}
    assert asking == set(LISTS), "a workflow that asks patches asks them all at its start: add its list"


def test_the_patches_taken_at_the_gate_never_change() -> None:
    """A run with the gate takes these with no marker; one added later would be taken by a run recorded before it
    (its replay would take the patched branch the run did not): add it to its workflow's *_LATER list instead."""
    taken = "\n".join(sorted({*ORCHESTRATION_PATCHES, *AGENT_PATCHES}))  # taken as a set: no marker, no order
    assert hashlib.sha256(taken.encode()).hexdigest()[:8] == BEFORE_THE_GATE


def test_the_patches_taken_at_the_second_gate_never_change() -> None:
    """As the gate's: a run with the second gate takes these with no marker (ORCHESTRATION_LATER's first entries)."""
    taken = "\n".join(sorted(TAKEN_AT_THE_SECOND_GATE))
    assert hashlib.sha256(taken.encode()).hexdigest()[:8] == BEFORE_THE_SECOND_GATE


@pytest.mark.parametrize("name", sorted(LISTS))
def test_every_patch_asked_is_listed(name: str) -> None:
    module, _ = DEFINED[name]
    asked = {(patch, m) for m in code_of(module) for patch in asked_in(m)}
    missing = sorted((patch, m) for patch, m in asked if patch not in LISTS[name])
    assert not missing, f"add these (patch, module) at the end of {LIST_NAMES[name]}: {missing}"
    stale = set(LISTS[name]) - {patch for patch, _ in asked}
    assert not stale, f"listed for {name}, asked by none of its code: {sorted(stale)}"
    assert len(set(LISTS[name])) == len(LISTS[name]) and not {GATE_PATCH, SECOND_GATE_PATCH} & set(LISTS[name])


@pytest.mark.parametrize("name", sorted(LISTS))
def test_the_list_is_asked_first(name: str) -> None:
    """The first statement of the workflow's __init__ (its first activation) asks its list."""
    _, cls = DEFINED[name]
    init = next(n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__")
    first = init.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        first = init.body[1]  # its docstring
    assert ast.unparse(first) == f"ask_at_start({LIST_NAMES[name]})"
