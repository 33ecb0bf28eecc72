"""Runs of a plan with tool_concurrency replay as they ran, whichever way the held steps are kept
(orchestra.scheduling.HeldSteps gives the batches the scan before it gave).

Saved history (ORCHESTRA_SAVE_HISTORIES=1 saves this run's): tool_limits_scanned_before.json, recorded by the code that
scanned every held step on every wake-up; it replays with test_saved_histories_replay."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from temporalio.client import Client

from orchestra.record import ExecutionRecord, StepState
from tests.helpers import start_plan, worker_for
from tests.workflows.test_replay import HISTORIES, _replayer

SAVED = "tool_limits_scanned_before"
TOOLS = ["sleep", "render_template", "json_query"]


def limited_plan() -> dict[str, Any]:
    """Three tools, two of them limited, in waves: steps held behind their tool's limit while others start."""
    args = {
        "sleep": {"seconds": 0.05},
        "render_template": {"template": "x"},
        "json_query": {"data": [1], "expression": "length(@)"},
    }
    nodes: list[dict[str, Any]] = [{"id": "first", "tool": "sleep", "args": {"seconds": 0}}]
    for i in range(45):
        tool = TOOLS[(i * 7 // 3) % 3]
        node: dict[str, Any] = {"id": f"s{i}", "tool": tool, "args": args[tool]}
        node["depends_on"] = ["first"] if i < 30 else [f"s{i - 30}"]
        nodes.append(node)
    return {
        "name": "tool-limits",
        "max_parallel": 6,
        "tool_concurrency": {"sleep": 2, "render_template": 1},
        "nodes": nodes,
    }


async def test_a_plan_with_tool_limits_replays(client: Client, task_queue: str, tmp_path: Path) -> None:
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, limited_plan())
        record = ExecutionRecord.model_validate(await handle.result())
        history = await handle.fetch_history()
    assert all(s.state == StepState.COMPLETED for s in record.steps), [(s.node_id, s.state) for s in record.steps]
    if os.environ.get("ORCHESTRA_SAVE_HISTORIES"):
        (HISTORIES / f"{SAVED}.json").write_text(history.to_json())
    await _replayer().replay_workflow(history)
