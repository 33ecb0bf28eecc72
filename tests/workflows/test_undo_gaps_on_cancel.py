"""A user's cancel of a run that compensates on failure: no undo runs (finished results are kept), but a step with
an undo cut short by the cancel may have done part of its work. The record showed it only as a cancelled step, with
no undo gap; now it says it as a failure's compensation does, and `result` shows it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowFailureError

from orchestra.record import AgentState, ExecutionRecord, StepState
from tests.control_support import attempts_started, gate, until
from tests.helpers import CANCELS_HEARD_SOON, start_plan, worker_for
from tests.ops.support import run_command
from workflows.unfinished_steps import CUT_SHORT


async def test_a_step_with_an_undo_a_cancel_cut_short_is_said_not_undone(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    undo = {"tool": "sleep", "args": {"seconds": 0}}
    with gate() as (url, released):
        held = {"id": "held", "tool": "http_request", "args": {"url": url}, "retry": {"max_attempts": 1},
                "compensation": undo}  # fmt: skip
        done = {"id": "done", "tool": "sleep", "args": {"seconds": 0}, "compensation": undo}
        plan = {"name": "saga-cancelled", "compensate_on_failure": True, "nodes": [done, held]}
        async with worker_for(client, task_queue, tmp_path, **CANCELS_HEARD_SOON):
            handle = await start_plan(client, task_queue, plan)
            await until(handle.describe, attempts_started("held"))
            await handle.cancel()
            with pytest.raises(WorkflowFailureError):
                await handle.result()
            released.set()
            shown = await run_command(client, "--task-queue", task_queue, "result", handle.id, "--json")
            said = await run_command(client, "--task-queue", task_queue, "result", handle.id)
    record = ExecutionRecord.model_validate(json.loads(shown.out))
    assert record.state == AgentState.CANCELLED and record.step("held").state == StepState.CANCELLED, record.state
    assert record.step("done").compensation is None, "a cancel undoes nothing"
    assert [(g.nodes, g.count, g.reason) for g in record.undo_gaps] == [(["held"], 1, CUT_SHORT)], record.undo_gaps
    assert "not all undone" in said.out and "stopped while they ran" in said.out, said.out
