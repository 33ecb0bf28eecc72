"""`start`, `pause`, `resume`, `status`, `history`, `watch`, `cancel`, `result` on live runs."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any

from orchestra.record import AgentState, ExecutionRecord, StepState
from tests.cli.cli import Result, write_plan
from tests.cli.conftest import Cli
from tests.helpers import worker_for

SLOW = {
    "name": "slow",
    "nodes": [
        {"id": "first", "tool": "sleep", "args": {"seconds": 1.5}},
        {"id": "second", "tool": "sleep", "args": {"seconds": 0.2}, "depends_on": ["first"]},
        {"id": "last", "tool": "json_query", "args": {"data": {"n": 1}, "expression": "n"}, "depends_on": ["second"]},
    ],
}
LONG = {"name": "long", "nodes": [{"id": "nap", "tool": "sleep", "args": {"seconds": 600}},
                                  {"id": "after", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["nap"]}]}  # fmt: skip


async def until(cli: Cli, args: tuple[str, ...], ok: Callable[[Result], bool], tries: int = 60) -> Result:
    """Repeat a command until its output satisfies ``ok`` (a bound on tries, not a timing assertion)."""
    for _ in range(tries):
        result = await cli(*args)
        if ok(result):
            return result
        await asyncio.sleep(0.5)
    raise AssertionError(f"{args} never matched; last output:\n{result.out}\n{result.err}")


async def start(cli: Cli, tmp_path, plan: dict[str, Any]) -> str:
    result = await cli("start", "--plan", write_plan(tmp_path, plan))
    assert result.code == 0, result.err
    workflow_id = result.out.strip()
    assert workflow_id.startswith(f"plan-{plan['name']}-")
    assert f"/namespaces/default/workflows/{workflow_id}" in result.err
    return workflow_id


async def test_cooperative_pause_holds_new_steps_until_resume(client, task_queue, tmp_path, cli):
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, SLOW)
        paused = await cli("pause", workflow_id, "--reason", "lunch")
        assert paused.code == 0, paused.err
        status = await until(
            cli, ("status", workflow_id), lambda r: re.search(r"first\s+sleep\s+✔ completed", r.out) is not None
        )
        assert "state PAUSED (cooperative: lunch)" in status.out
        assert "Temporal status RUNNING" in status.out
        assert "· pending" in status.out, "no new step starts while paused"
        resumed = await cli("resume", workflow_id)
        assert resumed.code == 0, resumed.err
        result = await cli("result", workflow_id, "--json")
    assert result.code == 0, result.err
    record = ExecutionRecord.model_validate_json(result.out)
    assert record.state == AgentState.COMPLETED
    assert all(step.state == StepState.COMPLETED for step in record.steps)


async def test_native_pause_is_read_through_describe_and_history(client, task_queue, tmp_path, cli):
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, SLOW)
        paused = await cli("pause", workflow_id, "--native", "--reason", "maintenance")
        assert paused.code == 0, paused.err
        status = await cli("status", workflow_id)
        assert status.code == 0, status.err
        assert "Temporal status PAUSED" in status.out and "state PAUSED (native Temporal pause)" in status.out
        for node in ("first", "second", "last"):
            assert node in status.out, "the step table is rebuilt from history and the plan"
        history = await cli("history", workflow_id)
        assert history.code == 0, history.err
        assert "Temporal status PAUSED" in history.out
        assert "prepare_plan" in history.out and "first" in history.out and "sleep" in history.out
        listed = await cli("list", "--query", f"WorkflowId='{workflow_id}'")
        assert listed.code == 0 and "PAUSED" in listed.out
        resumed = await cli("resume", workflow_id, "--native")
        assert resumed.code == 0, resumed.err
        watched = await cli("watch", workflow_id)
    assert watched.code == 0, watched.err
    assert "✔ run COMPLETED" in watched.out and "  ✔ last" in watched.out


async def test_cancel_keeps_the_record(client, task_queue, tmp_path, cli):
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, LONG)
        await until(cli, ("status", workflow_id), lambda r: "▶ calling_tool" in r.out)
        cancelled = await cli("cancel", workflow_id)
        assert cancelled.code == 0, cancelled.err
        result = await cli("result", workflow_id)
        assert result.code == 1
        assert "state CANCELLED" in result.out and "⊘ cancelled" in result.out
        history = await cli("history", workflow_id)
        assert history.code == 0 and "canceled" in history.out
        again = await cli("cancel", workflow_id)
    assert again.code == 1 and "already ended" in again.err


async def test_unknown_workflow_id_exits_4(cli, temporal_env):
    for command in ("status", "watch", "history", "result", "cancel", "pause"):
        result = await cli(command, "no-such-workflow")
        assert result.code == 4, (command, result.err)
        assert "no workflow with id 'no-such-workflow'" in result.err
