"""The Temporal SDK core's own log lines (its Rust side) in a real `python worker.py`'s log: JSON lines as every
other, not plain text with ANSI colours in the middle of the JSON."""

from __future__ import annotations

import json
from pathlib import Path

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from orchestra.record import ExecutionRecord
from tests.helpers import start_plan, until
from tests.ops.support import worker_process

NAP = {"name": "nap", "nodes": [{"id": "nap", "tool": "sleep", "args": {"seconds": 3}}]}
# What the core says when an activity completes after its run was terminated.
NOT_FOUND = "Activity not found on completion"


async def test_the_core_s_log_lines_are_json_lines(
    client: Client, temporal_env: WorkflowEnvironment, task_queue: str, tmp_path: Path
) -> None:
    # Heartbeats at most a minute apart, as the SDK's own default: the step, not a heartbeat's answer, hears first
    # that its run is gone, so it completes and the core says so.
    async with worker_process(temporal_env, task_queue, tmp_path, ORCHESTRA_HEARTBEAT_EVERY_S="60") as log:
        handle = await start_plan(client, task_queue, NAP)

        async def sleeping() -> bool:
            record = await handle.query("record", result_type=ExecutionRecord)
            return any(step.state == "calling_tool" for step in record.steps)

        await until(sleeping)
        await handle.terminate("the test ends it while its step sleeps")

        async def said() -> bool:
            return NOT_FOUND in log.read_text(errors="replace")

        await until(said)
    lines = log.read_text(errors="replace").splitlines()
    assert not [line for line in lines if "\x1b" in line], lines
    core = [json.loads(line) for line in lines if NOT_FOUND in line]
    assert all(entry["event"].startswith(NOT_FOUND) and "core_fields" in entry for entry in core), core
    assert core and all(entry["logger"].startswith("temporalio.core") for entry in core), core
