"""A step with an undo that started and ended in error is never undone (it has no output for its undo to read), but its
tool may have done its work: the record lists it in a gap saying how it ended, in the failing run and in earlier runs
of a chain. product237 saw write steps fail on heartbeat timeouts under load with nothing said of them; a write that
times out after writing left its file, unsaid. A step that never started (its dependency failed) did nothing: not
listed."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ApplicationError

from orchestra.record import ExecutionRecord, StepState, UndoGap
from orchestra.registry import ToolRegistry, default_registry
from orchestra.settings import Settings
from orchestra.storage.step_chunks import whole_record
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from tests.helpers import run_plan_to_failure, start_plan, worker_for
from tests.ops.support import run_command
from tests.storage.conftest import client_with
from tests.workflows.test_write_undo import FAILING
from tests.workflows.undos_accounted import undos_unaccounted
from worker import create_worker

UNDO = {"tool": "sleep", "args": {"seconds": 0}}


class WriteThenSleep(BaseModel):
    path: str
    seconds: float


async def _write_then_sleep(args: WriteThenSleep, ctx: ToolContext) -> dict[str, str]:
    Path(args.path).write_text("written before the timeout\n")
    await asyncio.sleep(args.seconds)
    return {"path": args.path}


def _registry() -> ToolRegistry:
    registry = default_registry()
    spec = ToolSpec(name="write_then_sleep", description="Write a file, then sleep.", input_model=WriteThenSleep)
    registry.register(Tool(spec=spec, run=_write_then_sleep))
    return registry


def _gap_of(record: ExecutionRecord, node: str) -> UndoGap:
    [gap] = [gap for gap in record.undo_gaps if node in gap.nodes]
    return gap


async def test_a_write_that_times_out_after_writing_is_in_a_gap_saying_so(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    written = tmp_path / "late.txt"
    slow = {"id": "late", "tool": "write_then_sleep", "args": {"path": str(written), "seconds": 3}, "timeout_s": 1,
            "retry": {"max_attempts": 1}, "compensation": UNDO, "depends_on": ["a"]}  # fmt: skip
    plan = {"name": "saga-late-write", "compensate_on_failure": True,
            "nodes": [{"id": "a", "tool": "sleep", "args": {"seconds": 0}, "compensation": UNDO}, slow]}  # fmt: skip
    async with worker_for(client, task_queue, tmp_path, _registry()):
        handle = await start_plan(client, task_queue, plan)
        with pytest.raises(WorkflowFailureError) as failure:
            await handle.result()
        shown = {
            cmd: await run_command(client, "--task-queue", task_queue, cmd, handle.id) for cmd in ("status", "result")
        }
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "PlanFailed", str(cause)
    record = ExecutionRecord.model_validate(cause.details[0])
    for cmd, said in shown.items():
        assert "not all undone" in said.out and "run 1: 1 step (late): ended in error" in said.out, (cmd, said.out)
    assert written.exists(), "the write did its work before it timed out"
    assert record.step("late").state == StepState.ERROR and record.step("late").compensation is None
    gap = _gap_of(record, "late")
    assert (gap.nodes, gap.count, gap.run_index) == (["late"], 1, 0), gap
    assert "ended in error after they started (timed out" in gap.reason and "never undone" in gap.reason, gap
    assert undos_unaccounted(record, ["a", "late"]) == {}


@pytest.mark.parametrize("fail_fast", [True, False])
async def test_a_step_failing_at_once_is_listed_and_one_that_never_started_is_not(
    client: Client, task_queue: str, tmp_path: Path, fail_fast: bool
) -> None:
    plan = {"name": "saga-fails-at-once", "compensate_on_failure": True, "fail_fast": fail_fast,
            "nodes": [{"id": "a", "tool": "sleep", "args": {"seconds": 0}, "compensation": UNDO},
                      {"id": "bad", **FAILING, "compensation": UNDO, "depends_on": ["a"]},
                      {"id": "never", "tool": "sleep", "args": {"seconds": 0}, "compensation": UNDO,
                       "depends_on": ["bad"]}]}  # fmt: skip
    record = await run_plan_to_failure(client, task_queue, tmp_path, plan)
    assert record.step("never").scheduled_at is None and record.step("never").state != StepState.COMPLETED
    gap = _gap_of(record, "bad")
    assert (gap.nodes, gap.count) == (["bad"], 1) and "ended in error after they started" in gap.reason, gap
    assert not [g for g in record.undo_gaps if "never" in g.nodes], record.undo_gaps
    undo = record.step("a").compensation
    assert undo is not None and undo.state == StepState.COMPLETED, undo


# Steps one after another after the failures: enough that the chain hands over at 40 events a run (fourteen, as
# before, made more runs than the test needs).
PADS = 6


def _chain(failures: int) -> dict[str, Any]:
    """``failures`` undoable steps allowed to fail in the chain's first run, then enough steps one after another
    that it hands over, then a failing step in a later run."""
    allowed = [{"id": f"allowed{i}", **FAILING, "skip_on_error": True, "compensation": UNDO} for i in range(failures)]
    pads = [{"id": f"p{i}", "tool": "sleep", "args": {"seconds": 0}, "compensation": UNDO,
             "depends_on": [f"p{i - 1}"] if i else [s["id"] for s in allowed]} for i in range(PADS)]  # fmt: skip
    return {"name": "saga-allowed-failures", "compensate_on_failure": True, "history_events_per_run": 40,
            "max_parallel": 20, "nodes": [*allowed, *pads, {"id": "check", **FAILING, "depends_on": [f"p{PADS - 1}"]}]}  # fmt: skip


@pytest.mark.parametrize("storage", ["on", "off"])
async def test_steps_allowed_to_fail_in_an_earlier_run_are_listed_when_the_chain_fails(
    client: Client, task_queue: str, tmp_path: Path, storage: str
) -> None:
    """Twelve of them, in the first run: the gap counts all twelve, names the first ten (as other gaps do), and says
    which run ran them; the chain's completed steps are each undone. Stored with the chunk, or listed in it."""
    failures = 12
    chained, record = await _failed_chain(client, task_queue, tmp_path, storage, _chain(failures))
    assert len(record.runs) >= 2, record.runs
    assert all((chunk.stored is None) == (storage == "off") for chunk in record.earlier), record.earlier
    [gap] = [g for g in record.undo_gaps if g.nodes and g.nodes[0].startswith("allowed")]
    assert gap.count == failures and len(gap.nodes) == 10 and gap.run_index == 0, gap
    assert "ended in error after they started" in gap.reason, gap
    whole = await whole_record(chained.data_converter, record)
    assert undos_unaccounted(whole, [f"p{i}" for i in range(PADS)]) == {}


def _spread(failures: int) -> dict[str, Any]:
    """A chain of steps one after another, long enough to hand over several times, with an undoable step allowed to
    fail beside each of them, then a failing step: the failures are in several runs (beside every second step, as
    before, the chain took twice the runs to show the same)."""
    pads = [{"id": f"p{i}", "tool": "sleep", "args": {"seconds": 0}, "compensation": UNDO,
             "depends_on": [f"p{i - 1}"] if i else []} for i in range(failures)]  # fmt: skip
    allowed = [{"id": f"allowed{i}", **FAILING, "skip_on_error": True, "compensation": UNDO,
                "depends_on": [f"p{i}"]} for i in range(failures)]  # fmt: skip
    last = [f"p{failures - 1}", *(s["id"] for s in allowed)]
    return {"name": "saga-failures-spread", "compensate_on_failure": True, "history_events_per_run": 40,
            "nodes": [*pads, *allowed, {"id": "check", **FAILING, "depends_on": last}]}  # fmt: skip


@pytest.mark.parametrize("storage", ["on", "off"])
async def test_steps_that_failed_in_many_runs_are_one_gap_carried_once(
    client: Client, task_queue: str, tmp_path: Path, storage: str
) -> None:
    """Each run's failed steps made a gap of their own, and the carry kept them with every chunk: a chain of
    thousands of runs grew its carry by up to six gaps a run, and past 50 gaps the record dropped the rest unsaid
    (the undos' budget running out among them). One gap per way they ended, however many runs: its count is exact,
    it names the first, and the carry holds it once (on the newest chunk)."""
    failures = 12
    chained, record = await _failed_chain(client, task_queue, tmp_path, storage, _spread(failures))
    whole = await whole_record(chained.data_converter, record)
    ran = {whole.step(f"allowed{i}").run_index for i in range(failures)}
    assert len(ran) >= 3, f"the failures are in runs {ran}"
    [gap] = [g for g in record.undo_gaps if g.nodes and g.nodes[0].startswith("allowed")]
    assert gap.count == failures and len(gap.nodes) == 10 and gap.run_index is None, gap
    assert gap.run_span == (min(ran), max(ran)), gap
    assert "ended in error after they started" in gap.reason, gap
    assert sum(len(chunk.unfinished) for chunk in record.earlier) <= 1, [c.unfinished for c in record.earlier]
    undoable = [*(f"p{i}" for i in range(failures)), *(f"allowed{i}" for i in range(failures))]
    assert undos_unaccounted(whole, undoable) == {}


async def _failed_chain(
    client: Client, task_queue: str, tmp_path: Path, storage: str, plan: dict[str, Any]
) -> tuple[Client, ExecutionRecord]:
    """``plan`` run to its failure with storage ``on`` or ``off``: the client that ran it, and the failed run's record."""
    settings = Settings(storage="off", task_queue=task_queue, workspace=tmp_path, data_dir=tmp_path.parent)
    chained = client_with(client, settings) if storage == "off" else client
    async with (
        create_worker(chained, settings, default_registry())
        if storage == "off"
        else worker_for(client, task_queue, tmp_path)
    ):
        handle = await start_plan(chained, task_queue, plan)
        with pytest.raises(WorkflowFailureError) as failure:
            await handle.result()
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "PlanFailed", str(cause)
    return chained, ExecutionRecord.model_validate(cause.details[0])
