"""The workflows/ helper modules every run shares hold no state of a run.

The helpers the workflow classes import are passed through the sandbox (imported once a process): a value
a run wrote at module level, or in a workflow class, would be read by the next run, and its replay would
differ from the run it replays. (The workflow classes' own modules are still imported afresh for each run,
checked by the sandbox: see bench.run_setup_cost.)"""

from __future__ import annotations

import ast
import enum
import importlib
import pkgutil
import types
from datetime import timedelta
from pathlib import Path

import workflows
from workflows.agent import AgentWorkflow
from workflows.orchestration import OrchestrationWorkflow

HISTORIES = Path(__file__).resolve().parents[1] / "histories"
ENGINE_PACKAGES = ("workflows", "orchestra", "activities")
IMMUTABLE = (int, float, str, bytes, bool, type(None), frozenset, timedelta, enum.Enum, types.MappingProxyType)
# Module-level objects that are mutable in type but written by no run: stateless helpers and settings.
STATELESS = {
    ("workflows.handover_pieces", "_converter"): "a payload converter: measures values, keeps nothing",
    ("workflows.plan_pieces", "_NODES"): "a pydantic TypeAdapter: validates, keeps nothing of a run",
    ("workflows.plan_driver", "_NO_OUTPUT"): "a sentinel object",
    ("workflows.task", "ANALYSIS_RETRY"): "a retry policy handed to activities, never written",
    ("workflows.task", "PLANNING_RETRY"): "a retry policy handed to activities, never written",
}


def workflow_modules() -> list[types.ModuleType]:
    return [importlib.import_module(f"workflows.{m.name}") for m in pkgutil.iter_modules(workflows.__path__)]


def assigned_at_module_level(module: types.ModuleType) -> set[str]:
    """The names the module's own code binds to a value (not its imports, functions or classes)."""
    assert module.__file__ is not None
    tree = ast.parse(Path(module.__file__).read_text())
    names: set[str] = set()
    for node in tree.body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def immutable(value: object) -> bool:
    if isinstance(value, tuple):
        return all(immutable(item) or isinstance(item, type) for item in value)
    annotation = type(value).__module__ == "typing"  # a TypeVar, an Annotated alias
    return isinstance(value, (*IMMUTABLE, type)) or annotation


def test_workflow_modules_hold_no_mutable_module_state() -> None:
    mutable = []
    for module in workflow_modules():
        for name in assigned_at_module_level(module):
            value = getattr(module, name)
            if (module.__name__, name) not in STATELESS and not immutable(value):
                mutable.append(f"{module.__name__}.{name}: {type(value).__name__}")
    assert mutable == [], (
        "a workflows/ module is shared by every run: make these immutable (a tuple, frozenset, MappingProxyType)"
    )


def test_workflow_code_writes_no_module_global() -> None:
    writes = []
    for module in workflow_modules():
        assert module.__file__ is not None
        for node in ast.walk(ast.parse(Path(module.__file__).read_text())):
            if isinstance(node, ast.Global):
                writes.append(f"{module.__name__}:{node.lineno} global {', '.join(node.names)}")
    assert writes == []


def test_workflow_classes_hold_no_mutable_class_state() -> None:
    mutable = []
    for cls in (OrchestrationWorkflow, AgentWorkflow):
        for name, value in vars(cls).items():
            plain = not name.startswith("__") and not callable(value)
            if plain and not isinstance(value, staticmethod | classmethod | property) and not immutable(value):
                mutable.append(f"{cls.__name__}.{name}: {type(value).__name__}")
    assert mutable == []
