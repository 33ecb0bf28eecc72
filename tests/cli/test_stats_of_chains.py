"""`stats` counts a chain of runs (a plan run that continued as new) as the one run it is: its earlier
runs were counted as runs, and their tool calls (each the chain's total so far) added again."""

from __future__ import annotations

import pytest
from temporalio.client import WorkflowExecutionStatus

from tests.cli.cli import Cli
from tests.cli.gated_runs import start
from tests.helpers import worker_for

STEPS = 12
CHAIN = {"name": "chain", "history_events_per_run": 12, "nodes": [
    {"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, **({"depends_on": [f"s{i - 1}"]} if i else {})}
    for i in range(STEPS)]}  # fmt: skip


async def test_a_chain_is_one_run_with_its_own_tool_calls_and_the_whole_chains_duration(
    client, task_queue, tmp_path, cli: Cli
):
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, CHAIN, here=True)
        assert (await cli.here("result", workflow_id)).code == 0
    runs = [r async for r in client.list_workflows(f"WorkflowId = '{workflow_id}'")]
    assert len(runs) > 2 and sum(r.status == WorkflowExecutionStatus.CONTINUED_AS_NEW for r in runs) == len(runs) - 1
    first, last = min(runs, key=lambda r: r.start_time), max(runs, key=lambda r: r.start_time)
    assert last.close_time is not None
    chain_ms = (last.close_time - first.start_time).total_seconds() * 1000

    shown = await cli("stats", "--kind", "plan", "--query", f"TaskQueue = '{task_queue}'", "--json")
    assert shown.code == 0, shown.err
    plan = shown.json["plan"]
    assert (plan["total"], plan["succeeded"], plan["sampled"], plan["tool_calls"]) == (1, 1, 1, STEPS), plan
    assert plan["average_duration_ms"] == pytest.approx(chain_ms, abs=1), plan
