"""A step the record must note (running or failed past its listing) but too large to note whole within the record's
bound is noted cut, and said cut: a failed step with an error of a megabyte and more was left out of steps_noted, and
neither `status` nor `--json` said it had failed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from temporalio.client import Client

from orchestra.errors import ToolError
from orchestra.record import QUERY_BYTES, TRUNCATED, ExecutionRecord
from orchestra.registry import ToolRegistry, default_registry
from orchestra.settings import Settings
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from tests.control_support import gate
from tests.helpers import settings_for, start_plan, until
from tests.ops.support import run_command
from tests.storage.conftest import client_with
from worker import create_worker

HUGE = QUERY_BYTES + 200_000
LIMIT = 60_000


class Nothing(BaseModel):
    pass


async def _fail_at_length(args: Nothing, ctx: ToolContext) -> None:
    raise ToolError("the server said: " + "y" * HUGE)


def _registry() -> ToolRegistry:
    registry = default_registry()
    spec = ToolSpec(name="huge_fail", description="Fail with a huge error.", input_model=Nothing)
    registry.register(Tool(spec=spec, run=_fail_at_length))
    return registry


def _plan(url: str) -> dict[str, Any]:
    """A step held open, steps waiting on it, and, last in plan order, a step failing with a huge error."""
    nodes: list[dict[str, Any]] = [
        {"id": "hold", "tool": "http_request", "args": {"url": url}},
        {"id": "quick", "tool": "sleep", "args": {"seconds": 0}},
    ]
    nodes += [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["hold"]} for i in range(20)]
    nodes.append({"id": "huge_bad", "tool": "huge_fail", "args": {}, "retry": {"max_attempts": 1},
                  "depends_on": ["quick"]})  # fmt: skip
    return {"name": "huge-late-failure", "nodes": nodes}


async def test_a_failed_step_too_large_to_note_whole_is_noted_cut(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    """Within the largest value a run may send (LIMIT), the error of tens of kilobytes the record keeps does not fit."""
    client = client_with(client, storage_settings.model_copy(update={"storage_max_payload_bytes": LIMIT}))
    worker_settings = settings_for(task_queue, tmp_path).model_copy(update={"storage_max_payload_bytes": LIMIT})
    with gate() as (url, release):
        async with create_worker(client, worker_settings, _registry()):
            handle = await start_plan(client, task_queue, _plan(url))
            record = await until(
                lambda: handle.query("record", result_type=ExecutionRecord),
                lambda r: r.metrics.failed == 1 and r.metrics.running >= 1,
            )
            status = await run_command(client, "--task-queue", task_queue, "status", handle.id)
            as_json = await run_command(client, "--task-queue", task_queue, "status", handle.id, "--json")
            await handle.cancel()
            release.set()
    noted = {step.node_id: step for step in record.steps_noted}
    assert "huge_bad" in noted and record.steps_noted_cut == ["huge_bad"], (list(noted), record.steps_noted_cut)
    error = noted["huge_bad"].error
    assert error is not None and error.message.startswith("the server said: yyy"), error
    assert error.message.endswith(TRUNCATED) and len(error.message) < 2000, len(error.message)
    flat = " ".join(status.out.split())
    assert status.code == 0 and "huge_bad" in flat and "noted cut" in flat, flat[-800:]
    shown = json.loads(as_json.out)["record"]
    assert shown["steps_noted_cut"] == ["huge_bad"], shown["steps_noted_cut"]
