"""A failed run's undo of a write (the planner's compensation): a file the run made goes, a file the user had gets
back what the write replaced, and a file changed since the write is kept, with the copy of what the user had: an undo
that does not put its file back leaves its copy (the only way back), an undo that does leaves none."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ApplicationError

from orchestra.errors import ToolError
from orchestra.planning.planner import compensation_for
from orchestra.record import ExecutionRecord, StepState
from orchestra.registry import default_registry
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from orchestra.tools.files import WriteFileInput, run_write_file, write_file_tool
from tests.helpers import run_plan, run_plan_to_failure, start_plan, worker_for

FAILING = {"tool": "read_file", "args": {"path": "missing.txt"}, "retry": {"max_attempts": 1}}


def _write(node_id: str, path: str, content: str = "hi", after: str | None = None) -> dict[str, Any]:
    spec = write_file_tool().spec
    args: dict[str, object] = {"path": path, "content": content}
    undo = compensation_for(node_id, spec, args)
    assert undo is not None
    return {"id": node_id, "tool": "write_file", "args": args, "compensation": undo.model_dump(),
            "depends_on": [after] if after else []}  # fmt: skip


def _undone(record: ExecutionRecord, node_id: str) -> dict[str, Any]:
    undo = record.step(node_id).compensation
    assert undo is not None and undo.state == StepState.COMPLETED, undo
    assert isinstance(undo.output, dict)
    return undo.output


async def _fail_after(client: Client, task_queue: str, tmp_path: Path, *nodes: dict[str, Any]) -> ExecutionRecord:
    plan = {"name": "saga", "compensate_on_failure": True,
            "nodes": [*nodes, {"id": "check", **FAILING, "depends_on": [n["id"] for n in nodes]}]}  # fmt: skip
    record = await run_plan_to_failure(client, task_queue, tmp_path, plan)
    assert record.step("check").state == StepState.ERROR
    return record


def _copies(tmp_path: Path) -> list[Path]:
    """What runs kept for their undos (orchestra/tools/replaced.py), beside the workspace."""
    kept = tmp_path.parent / f".{tmp_path.name}.replaced"
    return sorted(p for p in kept.rglob("*") if p.is_file()) if kept.exists() else []


def _kept(tmp_path: Path, said: str) -> bytes:
    """The one copy left once the run has ended, found where the undo said it is (beside the workspace)."""
    (copy,) = [p for p in _copies(tmp_path) if p.suffix != ".json"]
    where = said.split("kept beside the workspace, in ")[1].split(",")[0]
    assert tmp_path.parent / where == copy, said
    return copy.read_bytes()


async def test_a_failed_run_puts_back_the_file_it_wrote_over_and_removes_the_one_it_made(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_bytes(b"the user's\n")
    record = await _fail_after(client, task_queue, tmp_path, _write("over", "a.txt"), _write("made", "b.txt"))
    assert _undone(record, "over")["restored"] is True
    assert (tmp_path / "a.txt").read_bytes() == b"the user's\n", "the user's content is back"
    assert _undone(record, "made")["deleted"] is True
    assert not (tmp_path / "b.txt").exists(), "the file the run made is removed"
    assert _copies(tmp_path) == [], "nothing kept once the run has ended"


async def test_two_writes_to_one_path_are_undone_newest_first(client: Client, task_queue: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("the user's")
    first, second = _write("first", "a.txt", "first"), _write("second", "a.txt", "second", after="first")
    record = await _fail_after(client, task_queue, tmp_path, first, second)
    assert _undone(record, "second")["restored"] is True and _undone(record, "first")["restored"] is True
    assert (tmp_path / "a.txt").read_text() == "the user's"


async def test_a_file_changed_after_the_write_is_kept(client: Client, task_queue: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("the user's")
    edit = {"id": "edit", "tool": "write_file", "args": {"path": "a.txt", "content": "edited"}, "depends_on": ["over"]}
    record = await _fail_after(client, task_queue, tmp_path, _write("over", "a.txt"), edit)
    undone = _undone(record, "over")
    assert undone["restored"] is False and undone["reason"].endswith(
        ": changed since it was written; kept, what the write replaced not put back"
    )
    assert (tmp_path / "a.txt").read_text() == "edited"
    assert _kept(tmp_path, undone["reason"]) == b"the user's", "the copy no undo put back stays: the way back"


async def test_a_run_that_succeeds_keeps_no_copy(client: Client, task_queue: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("the user's")
    record = await run_plan(client, task_queue, tmp_path, {"name": "saga", "compensate_on_failure": True,
                                                           "nodes": [_write("over", "a.txt")]})  # fmt: skip
    assert record.step("over").state == StepState.COMPLETED and record.step("over").output["previous"]
    assert (tmp_path / "a.txt").read_text() == "hi" and _copies(tmp_path) == []


async def test_a_hand_written_undo_without_a_sha256_keeps_a_file_changed_since(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    # A plan's own compensation naming `previous` alone put the copy back over the later edit, which was lost.
    (tmp_path / "a.txt").write_text("the user's")
    undo = {"tool": "delete_file", "args": {"path": "a.txt", "previous": "${over.output.previous}"}}
    over = {"id": "over", "tool": "write_file", "args": {"path": "a.txt", "content": "hi"}, "compensation": undo}
    edit = {"id": "edit", "tool": "write_file", "args": {"path": "a.txt", "content": "edited"}, "depends_on": ["over"]}
    record = await _fail_after(client, task_queue, tmp_path, over, edit)
    assert record.step("over").output["previous"], "the write kept what it replaced"
    undone = _undone(record, "over")
    assert undone["restored"] is False and undone["reason"].endswith(
        ": changed since it was written; kept, what the write replaced not put back"
    )
    assert (tmp_path / "a.txt").read_text() == "edited"
    assert _kept(tmp_path, undone["reason"]) == b"the user's"


class SpoilInput(BaseModel):
    path: str


async def _spoil(args: SpoilInput, ctx: ToolContext) -> None:
    """Another program's doing while the run was on: the file the write made is now a link, then the run fails."""
    path = ctx.confinement.files.root / args.path
    path.unlink()
    path.symlink_to("elsewhere.txt")
    raise ToolError("the check failed", code="failed")


async def test_an_undo_that_fails_keeps_its_copy_and_one_that_succeeds_leaves_none(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    # The undo refused (not_a_file) and the run's end removed the copy: the user's bytes were gone for good.
    (tmp_path / "a.txt").write_bytes(b"the user's a\n")
    (tmp_path / "b.txt").write_bytes(b"the user's b\n")
    registry = default_registry()
    registry.register(Tool(spec=ToolSpec(name="spoil", description="Spoil a file.", input_model=SpoilInput),
                           run=_spoil))  # fmt: skip
    plan = {"name": "saga", "compensate_on_failure": True, "nodes": [
        _write("a", "a.txt"), _write("b", "b.txt"),
        {"id": "spoil", "tool": "spoil", "args": {"path": "a.txt"}, "retry": {"max_attempts": 1},
         "depends_on": ["a", "b"]}]}  # fmt: skip
    async with worker_for(client, task_queue, tmp_path, registry):
        with pytest.raises(WorkflowFailureError) as failure:
            await (await start_plan(client, task_queue, plan)).result()
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "PlanFailed"
    record = ExecutionRecord.model_validate(cause.details[0])
    assert _undone(record, "b")["restored"] is True and (tmp_path / "b.txt").read_bytes() == b"the user's b\n"
    refused = record.step("a").compensation
    assert refused is not None and refused.state == StepState.ERROR and refused.error is not None, refused
    assert "not a regular file" in refused.error.message, refused.error
    assert _kept(tmp_path, refused.error.message) == b"the user's a\n", "only the refused undo's copy stays"


async def test_a_later_run_of_the_same_id_leaves_the_copy_an_earlier_undo_kept(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    # Runs of one workflow id (`orchestra run --id nightly` twice) share the folder: the second run, ending without
    # undos, removed it whole, and with it the copy the first run's undo had said stays 7 days.
    (tmp_path / "a.txt").write_text("the user's")
    edit = {"id": "edit", "tool": "write_file", "args": {"path": "a.txt", "content": "edited"}, "depends_on": ["over"]}
    saga = {"name": "saga", "compensate_on_failure": True,
            "nodes": [_write("over", "a.txt"), edit, {"id": "check", **FAILING, "depends_on": ["edit"]}]}  # fmt: skip
    again = {"name": "saga", "compensate_on_failure": True, "nodes": [_write("over", "b.txt")]}
    workflow_id = f"test-{uuid.uuid4()}"
    async with worker_for(client, task_queue, tmp_path):
        with pytest.raises(WorkflowFailureError) as failure:
            await (await start_plan(client, task_queue, saga, workflow_id)).result()
        cause = failure.value.cause
        assert isinstance(cause, ApplicationError) and cause.details
        reason = _undone(ExecutionRecord.model_validate(cause.details[0]), "over")["reason"]
        assert _kept(tmp_path, reason) == b"the user's"
        await (await start_plan(client, task_queue, again, workflow_id)).result()
    assert (tmp_path / "b.txt").read_text() == "hi"
    assert _kept(tmp_path, reason) == b"the user's", "the second run's end keeps the first run's way back"


async def _write_then_fail(args: WriteFileInput, ctx: ToolContext) -> None:
    """A write lost once it has kept what it replaced (its attempts timed out, fail_fast cancelled it)."""
    await run_write_file(args, ctx)
    raise ToolError("lost after writing", code="failed")


async def test_a_write_that_failed_after_keeping_its_copy_leaves_it(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    # No undo ran (the write never completed), so the run's end took the folder whole: the user's bytes, replaced
    # on disk by the failed write, were gone for good.
    (tmp_path / "a.txt").write_bytes(b"the user's\n")
    registry = default_registry()
    registry.register(Tool(spec=ToolSpec(name="lost_write", description="Write, then fail.",
                                         input_model=WriteFileInput), run=_write_then_fail))  # fmt: skip
    node = {**_write("w", "a.txt"), "tool": "lost_write", "retry": {"max_attempts": 1}}
    async with worker_for(client, task_queue, tmp_path, registry):
        with pytest.raises(WorkflowFailureError):
            await (await start_plan(client, task_queue, {"name": "saga", "compensate_on_failure": True,
                                                         "nodes": [node]})).result()  # fmt: skip
    assert (tmp_path / "a.txt").read_bytes() == b"hi"
    (copy,) = [p for p in _copies(tmp_path) if p.suffix != ".json"]
    assert copy.read_bytes() == b"the user's\n", "the failed write's copy stays: the way back"
