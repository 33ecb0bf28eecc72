"""A failed run's undo of a write (the planner's compensation) keeps a file the user had and removes one it made."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from temporalio.client import Client

from orchestra.planning.planner import compensation_for
from orchestra.record import StepState
from orchestra.tools.files import write_file_tool
from tests.helpers import run_plan_to_failure


def _write(node_id: str, path: str) -> dict[str, Any]:
    args: dict[str, object] = {"path": path, "content": "hi"}
    undo = compensation_for(node_id, write_file_tool().spec, args)
    assert undo is not None
    return {"id": node_id, "tool": "write_file", "args": args, "compensation": undo.model_dump()}


async def test_a_failed_run_keeps_the_file_it_wrote_over_and_removes_the_one_it_made(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("the user's")
    plan = {
        "name": "saga",
        "compensate_on_failure": True,
        "nodes": [
            _write("over", "a.txt"),
            _write("made", "b.txt"),
            {"id": "check", "tool": "read_file", "args": {"path": "missing.txt"}, "depends_on": ["over", "made"],
             "retry": {"max_attempts": 1}},
        ],
    }  # fmt: skip
    record = await run_plan_to_failure(client, task_queue, tmp_path, plan)
    assert record.step("check").state == StepState.ERROR
    over, made = record.step("over").compensation, record.step("made").compensation
    assert over is not None and over.state == StepState.COMPLETED and over.output["deleted"] is False
    assert (tmp_path / "a.txt").exists(), "the user's file is kept (its undo deleted it)"
    assert made is not None and made.state == StepState.COMPLETED and made.output["deleted"] is True
    assert not (tmp_path / "b.txt").exists(), "the file the run made is removed"
