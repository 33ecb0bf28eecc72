"""The copies of a run that did not end cleanly stay for the sweep: a later run of its workflow id, which shares
their folder, removes its own only."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from pydantic import BaseModel
from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy

from orchestra.calls import RunRequest
from orchestra.plan import parse_plan
from orchestra.plan_chain import first_run_args
from orchestra.registry import default_registry
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from tests.helpers import start_plan, worker_for
from tests.workflows.test_write_undo import _copies, _write
from workflows.orchestration import OrchestrationWorkflow


class HoldInput(BaseModel):
    seconds: float


async def _hold(args: HoldInput, ctx: ToolContext) -> None:
    await asyncio.sleep(args.seconds)


async def _kept_copy(tmp_path: Path) -> Path:
    for _ in range(200):
        copies = [p for p in _copies(tmp_path) if p.suffix != ".json"]
        if copies:
            return copies[0]
        await asyncio.sleep(0.05)
    raise AssertionError("the write kept no copy")


async def test_a_run_terminated_by_a_new_run_of_its_id_keeps_its_copies(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    # `orchestra run --id nightly` again, the first run terminated (TERMINATE_EXISTING) mid-way: its undos never ran,
    # and the second run's end removed the folder they share, the copy of the user's file in it.
    (tmp_path / "a.txt").write_text("the user's")
    registry = default_registry()
    registry.register(Tool(spec=ToolSpec(name="hold", description="Wait.", input_model=HoldInput, timeout_s=120),
                           run=_hold))  # fmt: skip
    held = {"name": "saga", "compensate_on_failure": True, "nodes": [
        _write("over", "a.txt"), {"id": "hold", "tool": "hold", "args": {"seconds": 60}, "depends_on": ["over"]}]}  # fmt: skip
    again = {"name": "saga", "compensate_on_failure": True, "nodes": [_write("other", "b.txt")]}
    workflow_id = f"test-{uuid.uuid4()}"
    async with worker_for(client, task_queue, tmp_path, registry):
        await start_plan(client, task_queue, held, workflow_id)
        copy = await _kept_copy(tmp_path)
        assert (tmp_path / "a.txt").read_text() == "hi" and copy.read_text() == "the user's"
        second = await client.start_workflow(
            OrchestrationWorkflow.run,
            args=first_run_args(RunRequest(plan=parse_plan(again))),
            id=workflow_id,
            task_queue=task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.TERMINATE_EXISTING,
        )
        await second.result()
    assert (tmp_path / "b.txt").read_text() == "hi"
    assert copy.read_text() == "the user's", "the terminated run's copy stays: the user's only way back"
    assert [p for p in _copies(tmp_path) if p.suffix != ".json"] == [copy], "the second run's own copies go"


async def test_a_chain_that_succeeds_keeps_no_copy_of_its_earlier_runs(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    # The end of a chain (continue-as-new) removes the copies its earlier runs' writes kept: they are its own.
    (tmp_path / "a.txt").write_text("the user's")
    sleeps = [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"s{i - 1}" if i else "over"]}
              for i in range(8)]  # fmt: skip
    plan = {"name": "saga", "compensate_on_failure": True, "history_events_per_run": 10,
            "nodes": [_write("over", "a.txt"), *sleeps]}  # fmt: skip
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, plan)
        await handle.result()
    latest = await client.get_workflow_handle(handle.id).describe()
    assert latest.run_id != handle.first_execution_run_id, "the write was in an earlier run of the chain"
    assert (tmp_path / "a.txt").read_text() == "hi" and _copies(tmp_path) == []
