"""The copies of a run that did not end cleanly stay for the sweep: a later run of its workflow id, which shares
their folder, removes its own only."""

from __future__ import annotations

import asyncio
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from temporalio.client import Client, WorkflowFailureError
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.exceptions import ApplicationError

from orchestra.calls import RunRequest
from orchestra.plan import parse_plan
from orchestra.plan_chain import first_run_args
from orchestra.record import ExecutionRecord
from orchestra.registry import default_registry
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from orchestra.tools import replaced
from orchestra.tools.files import WriteFileInput, run_write_file
from tests.helpers import span, start_plan, worker_for
from tests.workflows.test_write_undo import FAILING, _copies, _undone, _write
from workflows.orchestration import OrchestrationWorkflow


class HoldInput(BaseModel):
    seconds: float


async def _hold(args: HoldInput, ctx: ToolContext) -> None:
    await asyncio.sleep(args.seconds)


async def _kept_copy(tmp_path: Path) -> Path:
    """The copy the write kept, once whole at its name (no suffix): a record being written (``.part``) or a copy
    across disks (``.copying``) is seen on the way, and was taken for it (its JSON read as the user's bytes)."""
    for _ in range(600):  # 30 s: a loaded machine
        copies = [p for p in _copies(tmp_path) if not p.suffix]
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


def _timed_write(before_s: float, after_s: float) -> Any:
    async def run(args: WriteFileInput, ctx: ToolContext) -> Any:
        await asyncio.sleep(before_s)
        written = await run_write_file(args, ctx)
        await asyncio.sleep(after_s)
        return written

    return run


async def test_parallel_writes_to_one_path_are_all_undone(client: Client, task_queue: str, tmp_path: Path) -> None:
    # The undos run in the order the writes ended: the first to write, ending last, was undone first, found the
    # second's bytes and kept; the second's undo then put the first's bytes back, the user's left in a copy.
    (tmp_path / "a.txt").write_text("the user's")
    registry = default_registry()
    for name, before_s, after_s in (("early_write", 0.0, 1.5), ("late_write", 0.5, 0.0)):
        spec = ToolSpec(name=name, description="Write.", input_model=WriteFileInput, side_effects=True)
        registry.register(Tool(spec=spec, run=_timed_write(before_s, after_s)))
    nodes = [{**_write("early", "a.txt", "early"), "tool": "early_write"},
             {**_write("late", "a.txt", "late"), "tool": "late_write"}]  # fmt: skip
    record = await _fail_after_with(client, task_queue, tmp_path, registry, nodes)
    assert span(record.step("early"))[1] > span(record.step("late"))[1], "the first to write ended last"
    assert _undone(record, "early")["restored"] is True and _undone(record, "late")["restored"] is True
    assert (tmp_path / "a.txt").read_text() == "the user's"
    assert _copies(tmp_path) == []


async def _fail_after_with(
    client: Client, task_queue: str, tmp_path: Path, registry: Any, nodes: list[dict[str, Any]]
) -> ExecutionRecord:
    plan = {"name": "saga", "compensate_on_failure": True,
            "nodes": [*nodes, {"id": "check", **FAILING, "depends_on": [n["id"] for n in nodes]}]}  # fmt: skip
    async with worker_for(client, task_queue, tmp_path, registry):
        with pytest.raises(WorkflowFailureError) as failure:
            await (await start_plan(client, task_queue, plan)).result()
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError) and cause.details
    return ExecutionRecord.model_validate(cause.details[0])


async def test_an_undo_out_of_time_says_in_the_record_where_the_copy_is(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Temporal timed the put-back out: the record said "activity timed out", the copy's place in the worker's log.
    # (A step of its own here, with a short timeout: a compensation's is 120 s, the same put-back.)
    (tmp_path / "a.txt").write_text("the user's")
    go_on = threading.Event()
    give = replaced.Keeper._give

    def slow_give(keeper: replaced.Keeper, parent: int, temp: str) -> None:
        go_on.wait(30)
        give(keeper, parent, temp)

    monkeypatch.setattr(replaced.Keeper, "_give", slow_give)
    undo = {"id": "undo", "tool": "delete_file", "timeout_s": 3, "retry": {"max_attempts": 1}, "depends_on": ["over"],
            "args": {"path": "a.txt", "only_if_sha256": "${over.output.sha256}", "previous": "${over.output.previous}"}}  # fmt: skip
    plan = {"name": "saga", "nodes": [_write("over", "a.txt"), undo]}
    try:
        async with worker_for(client, task_queue, tmp_path):
            with pytest.raises(WorkflowFailureError) as failure:
                await (await start_plan(client, task_queue, plan)).result()
            cause = failure.value.cause
            assert isinstance(cause, ApplicationError) and cause.details
            error = ExecutionRecord.model_validate(cause.details[0]).step("undo").error
            assert error is not None and error.code == "undo_unfinished", error
            where = error.message.split("kept beside the workspace, in ", 1)[1].split(",", 1)[0]
            assert (tmp_path.parent / where).read_text() == "the user's", error.message
    finally:
        go_on.set()
