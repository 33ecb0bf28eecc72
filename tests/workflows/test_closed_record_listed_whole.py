"""A closed run's record, its history replayed by the CLI (orchestra/cli/replayed.py), lists every step: a cancelled run
of more steps than the record query answers (QUERY_STEPS, held to a worker's deadlock limit) showed its first
QUERY_STEPS in `status` and `result --json`, and said "a running run answers at most 1,000 steps" of a run that had
ended. A terminal is shown the first SHOWN_STEPS rows, and told `--json` has them all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from temporalio.client import Client, WorkflowExecutionStatus

from orchestra.cli.render import SHOWN_STEPS
from orchestra.record import QUERY_STEPS, ExecutionRecord
from tests.control_support import gate
from tests.helpers import settings_for, start_plan, until
from tests.ops.support import run_command
from worker import create_worker

WAITING = max(QUERY_STEPS, SHOWN_STEPS) + 300


def _held(url: str) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = [{"id": "hold", "tool": "http_request", "args": {"url": url}}]
    nodes += [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["hold"]} for i in range(WAITING)]
    return {"name": "cancelled-large", "nodes": nodes}


async def test_a_cancelled_runs_record_lists_every_step(client: Client, task_queue: str, tmp_path: Path) -> None:
    with gate() as (url, release):
        async with create_worker(client, settings_for(task_queue, tmp_path)):
            handle = await start_plan(client, task_queue, _held(url))
            running = await until(
                lambda: handle.query("record", result_type=ExecutionRecord), lambda r: r.metrics.running >= 1
            )
            await handle.cancel()
            release.set()
            await until(lambda: handle.describe(), lambda d: d.status == WorkflowExecutionStatus.CANCELED)
    as_json = await run_command(client, "--task-queue", task_queue, "result", handle.id, "--json")
    status = await run_command(client, "--task-queue", task_queue, "status", handle.id, "--json")
    text = await run_command(client, "--task-queue", task_queue, "status", handle.id)
    assert running.steps_not_listed > 0, "a running run's answer is bounded"
    for answer in (as_json, status):
        shown = json.loads(answer.out)
        record = shown.get("record", shown)
        assert len(record["steps"]) == WAITING + 1 and record["steps_not_listed"] == 0, len(record["steps"])
    flat = " ".join(text.out.split())
    assert "a running run answers" not in flat, flat[-600:]
    assert f"{WAITING + 1 - SHOWN_STEPS} more steps the record lists not shown here" in flat, flat[-600:]
    assert f"result {handle.id} --json" in flat and f"s{WAITING - 1} " not in flat, flat[-600:]
