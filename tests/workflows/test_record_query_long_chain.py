"""The record query's megabyte bounds the steps it lists, not the references a chain's record carries to the steps its
earlier runs finished: those grow with the chain, and counted against it they left no room for one step of the run
going on. Past some 60,000 finished steps (here some 300 of long ids, against a quarter of the bound), `status` showed
no running step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client

import orchestra.record
from orchestra.record import ExecutionRecord, StepState
from orchestra.temporal_bounds import MAX_ID_LENGTH
from tests.control_support import gate
from tests.helpers import settings_for, start_plan, until
from tests.ops.support import run_command
from worker import create_worker

# The bound, a quarter of QUERY_BYTES: a run's workflow module reads it from orchestra.record (passed through into the
# sandbox) as it is imported for the run. What is counted against it is the point, not its size: at the megabyte the
# chain took 1,300 steps and some 28 CPU seconds of a suite that is CPU-bound.
BOUND = orchestra.record.QUERY_BYTES // 4
# Steps of ids MAX_ID_LENGTH long: their references alone pass BOUND (264 of them would). The earlier runs' references
# measured 1.23 MB of the megabyte with 1,300 in runs of 1,000 events: a quarter of each here.
LONG = 380  # 325 left the earlier runs 260,056 bytes of references once: the last run keeps a varying share


def long_chain(url: str) -> dict[str, Any]:
    """LONG steps of long ids, handed over in a few runs, then a step held open in the last."""
    pad = "x" * (MAX_ID_LENGTH - 20)
    nodes: list[dict[str, Any]] = [{"id": f"s{i}_{pad}", "tool": "sleep", "args": {"seconds": 0}} for i in range(LONG)]
    nodes.append({"id": "join", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [n["id"] for n in nodes]})
    nodes.append({"id": "hold", "tool": "http_request", "args": {"url": url}, "depends_on": ["join"]})
    return {"name": "long-chain", "history_events_per_run": 250, "max_parallel": 32, "nodes": nodes}


async def test_a_long_chain_still_lists_the_step_its_last_run_is_running(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(orchestra.record, "QUERY_BYTES", BOUND)
    with gate() as (url, release):
        async with create_worker(client, settings_for(task_queue, tmp_path)):
            handle = await start_plan(client, task_queue, long_chain(url))
            record = await until(lambda: handle.query("record", result_type=ExecutionRecord), _holding, within=300)
            status = await run_command(client, "--task-queue", task_queue, "status", handle.id)
            await handle.cancel()
            release.set()
    references = sum(len(node) + 8 for chunk in record.earlier for node in chunk.nodes)
    assert len(record.runs) > 1 and references > BOUND, (len(record.runs), references)
    said = {s.node_id: s.state for s in (*record.steps, *record.steps_noted)}
    assert said.get("hold") == StepState.CALLING_TOOL, (len(record.steps), record.steps_not_listed)
    flat = " ".join(status.out.split())
    assert status.code == 0 and "hold http_request ▶ calling_tool" in flat, flat[-800:]


def _holding(record: ExecutionRecord) -> bool:
    return record.metrics.running == 1 and record.metrics.completed == LONG + 1
