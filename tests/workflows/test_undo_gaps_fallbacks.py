"""A step a fallback completed after its first tool failed part-way is undone by its undo, which reads the fallback's
output: what the failed tool did before it stopped is undone by nothing. The record lists the step in a gap saying so
(before, a write that failed after writing, then a fallback that completed, left the first file said nowhere); a step
whose first tool was skipped for its open circuit, or that completed on its first tool, is in no gap."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ApplicationError

from orchestra.errors import ErrorKind
from orchestra.record import ExecutionRecord, StepState
from orchestra.registry import ToolRegistry, default_registry
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from tests.helpers import start_plan, worker_for
from tests.workflows.test_write_undo import FAILING
from tests.workflows.undos_accounted import undos_unaccounted
from workflows.unfinished_steps import fallback_failed

UNDO = {"tool": "sleep", "args": {"seconds": 0}}


class WriteThenFail(BaseModel):
    path: str


async def _write_then_fail(args: WriteThenFail, ctx: ToolContext) -> dict[str, str]:
    Path(args.path).write_text("written before the failure\n")
    raise RuntimeError("failed after writing")


def _registry() -> ToolRegistry:
    registry = default_registry()
    spec = ToolSpec(name="write_then_fail", description="Write a file, then fail.", input_model=WriteThenFail)
    registry.register(Tool(spec=spec, run=_write_then_fail))
    return registry


async def _failed(client: Client, task_queue: str, tmp_path: Path, plan: dict[str, Any]) -> ExecutionRecord:
    async with worker_for(client, task_queue, tmp_path, _registry()):
        handle = await start_plan(client, task_queue, plan)
        with pytest.raises(WorkflowFailureError) as failure:
            await handle.result()
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "PlanFailed", str(cause)
    return ExecutionRecord.model_validate(cause.details[0])


def _node(node_id: str, path: Path, after: list[str]) -> dict[str, Any]:
    return {"id": node_id, "tool": "write_then_fail", "args": {"path": str(path)}, "retry": {"max_attempts": 1},
            "alternatives": [{"tool": "sleep", "args": {"seconds": 0}}], "compensation": UNDO, "depends_on": after}  # fmt: skip


async def test_a_step_a_fallback_completed_after_its_tool_wrote_is_in_a_gap(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    written = [tmp_path / f"first{i}.txt" for i in range(12)]
    nodes = [{"id": "plain", "tool": "sleep", "args": {"seconds": 0}, "compensation": UNDO},
             *(_node(f"f{i}", path, ["plain"]) for i, path in enumerate(written)),
             {"id": "check", **FAILING, "depends_on": [f"f{i}" for i in range(12)]}]  # fmt: skip
    plan = {"name": "saga-fallback", "compensate_on_failure": True, "max_parallel": 4, "nodes": nodes}
    record = await _failed(client, task_queue, tmp_path, plan)
    assert all(path.exists() for path in written), "the first tool did its work before it failed"
    for i in range(12):
        step = record.step(f"f{i}")
        assert step.state == StepState.COMPLETED and step.tool == "sleep", step
        undo = step.compensation
        assert undo is not None and undo.state == StepState.COMPLETED, undo
    [gap] = [gap for gap in record.undo_gaps if gap.nodes and gap.nodes[0].startswith("f")]
    assert gap.reason == fallback_failed(ErrorKind.TOOL_ERROR) and gap.count == 12 and len(gap.nodes) == 10, gap
    assert set(gap.nodes) <= {f"f{i}" for i in range(12)} and gap.run_index == 0, gap
    assert not [g for g in record.undo_gaps if "plain" in g.nodes], record.undo_gaps
    assert undos_unaccounted(record, ["plain", *(f"f{i}" for i in range(12))]) == {}


async def test_a_step_whose_first_tool_was_skipped_for_its_open_circuit_is_in_no_gap(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """One at a time: the first step's tool fails and opens its circuit, the next ones go straight to the fallback
    (their first tool never ran, nothing of it to undo)."""
    written = [tmp_path / f"first{i}.txt" for i in range(3)]
    nodes = [*(_node(f"f{i}", path, [f"f{i - 1}"] if i else []) for i, path in enumerate(written)),
             {"id": "check", **FAILING, "depends_on": ["f2"]}]  # fmt: skip
    plan = {"name": "saga-fallback-circuit", "compensate_on_failure": True, "max_parallel": 1,
            "circuit_breaker": {"failures_to_open": 1}, "nodes": nodes}  # fmt: skip
    record = await _failed(client, task_queue, tmp_path, plan)
    assert [path.exists() for path in written] == [True, False, False]
    assert "circuit open" in record.step("f1").fallback_from[0], record.step("f1")
    [gap] = [gap for gap in record.undo_gaps if gap.nodes and gap.nodes[0].startswith("f")]
    assert (gap.nodes, gap.count, gap.reason) == (["f0"], 1, fallback_failed(ErrorKind.TOOL_ERROR)), gap
    assert undos_unaccounted(record, ["f0", "f1", "f2"]) == {}
