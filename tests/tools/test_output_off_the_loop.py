"""What run_tool does with a tool's whole output — masking secrets in it, measuring it, checking its depth,
cutting a preview — walks all of it in Python: done on the worker's event loop, a 4 MB output of 1.1 million
numbers held every other activity of the worker, and their heartbeats, for seconds."""

from __future__ import annotations

import asyncio
import json
import time

from temporalio.testing import ActivityEnvironment

from activities import tools as tool_activities
from activities.tools import ToolActivities
from orchestra.calls import ToolCall
from orchestra.confinement import Confinement
from orchestra.converter import compose
from orchestra.references import depth_over
from orchestra.registry import default_registry
from orchestra.settings import Settings
from orchestra.storage.values import load_value
from tests.helpers import run_plan
from tests.mcp.test_costly_schemas import held_until_the_loop_runs
from tests.mcp.test_hostile import NEVER


async def test_a_tools_output_is_walked_off_the_event_loop(tmp_path, monkeypatch):
    (tmp_path / "rows.json").write_text(json.dumps([list(range(10)) for _ in range(1000)]))
    activities = ToolActivities(default_registry(), Confinement(workspace=tmp_path))
    call = ToolCall(tool="read_file", node_id="rows", args={"path": "rows.json"})
    with held_until_the_loop_runs(monkeypatch, tool_activities, "depth_over") as release:
        releaser = release()
        result = await asyncio.wait_for(ActivityEnvironment().run(activities.run_tool, call), NEVER)
        await releaser
    assert result.output is not None and result.output["size"] == 32_000


async def test_a_large_output_is_made_a_payload_and_read_back_off_the_event_loop(tmp_path, monkeypatch):
    """Measured against the storage threshold, then stored: the output as one JSON payload, a walk of all of
    it (0.46 s for 2.4 MB on an idle machine), which was made twice and on the loop; reading it back too."""
    (tmp_path / "rows.json").write_text(json.dumps([list(range(10)) for _ in range(5000)]))
    converter = compose(None, Settings(data_dir=tmp_path / "data"))
    activities = ToolActivities(default_registry(), Confinement(workspace=tmp_path), converter=converter)
    call = ToolCall(tool="read_file", node_id="rows", args={"path": "rows.json"})
    payloads = converter.payload_converter
    with held_until_the_loop_runs(monkeypatch, payloads, "to_payloads") as release:
        releaser = release()
        result = await asyncio.wait_for(ActivityEnvironment().run(activities.run_tool, call), NEVER)
        await releaser
    assert result.output is None and result.output_ref is not None
    with held_until_the_loop_runs(monkeypatch, payloads, "from_payloads") as release:
        releaser = release()
        back = await asyncio.wait_for(load_value(converter, result.output_ref), NEVER)
        await releaser
    assert json.loads(back["content"]) == [list(range(10)) for _ in range(5000)]


async def test_a_step_whose_output_takes_longer_to_walk_than_its_heartbeat_timeout_runs_once(
    client, task_queue, tmp_path, monkeypatch
):
    """On a server: the walk (held here past two heartbeat timeouts, as 4 MB take at load) ended the attempt
    by heartbeat timeout, and the step's tool ran again, every attempt the same way. Two: the SDK may send
    the last heartbeat made before the walk up to 0.8 of a timeout later (1.6 s + 2 s < 4.5 s)."""
    (tmp_path / "rows.json").write_text(json.dumps([list(range(10)) for _ in range(1000)]))
    monkeypatch.setattr(tool_activities, "HEARTBEAT_EVERY_S", 0.1)
    walks: list[object] = []

    def slow_walk(value: object) -> bool:
        walks.append(value)
        time.sleep(4.5)
        return depth_over(value)

    monkeypatch.setattr(tool_activities, "depth_over", slow_walk)
    plan = {
        "name": "slow-walk",
        "nodes": [{"id": "rows", "tool": "read_file", "args": {"path": "rows.json"}, "heartbeat_timeout_s": 2,
                   "retry": {"max_attempts": 2, "initial_interval_s": 0.1}}],
    }  # fmt: skip
    record = await run_plan(client, task_queue, tmp_path, plan)
    assert record.step("rows").attempts == 1 and len(walks) == 1
