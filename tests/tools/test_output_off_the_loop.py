"""What run_tool does with a tool's whole output — masking secrets in it, measuring it, checking its depth,
cutting a preview — walks all of it in Python: done on the worker's event loop, a 4 MB output of 1.1 million
numbers held every other activity of the worker, and their heartbeats, for seconds."""

from __future__ import annotations

import asyncio
import json

from temporalio.testing import ActivityEnvironment

from activities import tools as tool_activities
from activities.tools import ToolActivities
from orchestra.calls import ToolCall
from orchestra.confinement import Confinement
from orchestra.registry import default_registry
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
