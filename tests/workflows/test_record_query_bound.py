"""A live record's query answer stays within the largest value the run can send, whatever the plan's size: the
last steps not reached yet are left out and counted (the first run of a 150,000-step plan answered 51 MB, past the
storage's 50 MiB, and the query failed: `status` had nothing to show). Here with a storage limit of 300 KB."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from temporalio.client import Client

from orchestra.record import ExecutionRecord, StepState
from orchestra.settings import Settings
from tests.control_support import gate
from tests.helpers import settings_for, start_plan, until
from tests.ops.support import run_command
from tests.storage.conftest import client_with
from worker import create_worker

LIMIT = 300_000
STEPS = 2000  # listed whole: some 680 KB


async def test_a_live_record_too_large_to_send_leaves_its_last_pending_steps_out_and_says_so(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    bounded = client_with(client, storage_settings.model_copy(update={"storage_max_payload_bytes": LIMIT}))
    worker_settings = settings_for(task_queue, tmp_path).model_copy(update={"storage_max_payload_bytes": LIMIT})
    with gate() as (url, _):
        nodes: list[dict[str, Any]] = [{"id": "hold", "tool": "http_request", "args": {"url": url}}]
        nodes += [
            {"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["hold"]} for i in range(STEPS)
        ]
        async with create_worker(bounded, worker_settings):
            handle = await start_plan(bounded, task_queue, {"name": "wide", "nodes": nodes})
            # Asked once the held step runs: before the plan is prepared the record lists no step at all.
            record = await until(lambda: handle.query("record", result_type=ExecutionRecord), _holding)
            status = await run_command(bounded, "--task-queue", task_queue, "status", handle.id)
            # What the run does next is not this test's: its final record would pass the 300 KB limit too.
            await handle.terminate("checked")
    assert isinstance(record, ExecutionRecord) and record.steps_not_listed > 0, "the whole listing passes the limit"
    assert len(record.steps) + record.steps_not_listed == STEPS + 1
    assert record.steps[0].node_id == "hold" and all(s.state == StepState.PENDING for s in record.steps[1:])
    assert record.metrics.pending + record.metrics.running == STEPS + 1, "the metrics count every step"
    flat = " ".join(status.out.split())
    assert status.code == 0 and f"and {record.steps_not_listed:,} more steps not listed" in flat, status.out


def _holding(record: ExecutionRecord) -> bool:
    return any(s.node_id == "hold" and s.state == StepState.CALLING_TOOL for s in record.steps)
