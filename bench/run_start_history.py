"""What a plan run's start writes to its history before its first step, and how many runs a small chain takes.

    .venv/bin/python -m bench.run_start_history [--steps 12] [--events 40]

Each patch a run asks at its start (workflows/patches_at_start.py) is a marker and a TemporalChangeVersion upsert:
two events, and bytes growing with every id so far. A chain hands over at its ``history_events_per_run``, so what
the start takes is taken from the steps of every run of the chain (the tests run chains of 40-event runs). On a
fresh dev server, an in-process worker: a one-step plan's start (events before its first activity, patch markers,
the whole history's bytes), then a chain of ``--steps`` steps one after another with ``--events`` per run: its runs,
and the CPU seconds of this process (worker and client) it cost.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import uuid
from pathlib import Path
from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHistory

from bench.server import dev_server, machine_line
from bench.table import print_table
from orchestra.record import ExecutionRecord
from tests.helpers import start_plan, worker_for


def _start_of(history: WorkflowHistory) -> tuple[int, int]:
    """The events before the run's first activity is scheduled, and the patch markers among them."""
    markers = 0
    for i, event in enumerate(history.events):
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            return i, markers
        marker = event.marker_recorded_event_attributes
        markers += event.event_type == EventType.EVENT_TYPE_MARKER_RECORDED and marker.marker_name == "core_patch"
    return len(history.events), markers


def _cpu_s() -> float:
    times = os.times()
    return times.user + times.system


async def _run(client: Client, workspace: Path, plan: dict[str, Any]) -> tuple[ExecutionRecord, WorkflowHistory, float]:
    queue = f"bench-{uuid.uuid4()}"
    async with worker_for(client, queue, workspace):
        began = _cpu_s()
        handle = await start_plan(client, queue, plan)
        record = ExecutionRecord.model_validate(await handle.result())
        cpu = _cpu_s() - began
    return record, await handle.fetch_history(), cpu


async def run(steps: int, events: int) -> None:
    one = {"name": "one", "nodes": [{"id": "a", "tool": "sleep", "args": {"seconds": 0}}]}
    chain = {"name": "chain", "history_events_per_run": events,
             "nodes": [{"id": f"c{i}", "tool": "sleep", "args": {"seconds": 0},
                        "depends_on": [f"c{i - 1}"] if i else []} for i in range(steps)]}  # fmt: skip
    async with dev_server() as env:
        with tempfile.TemporaryDirectory() as tmp:
            _, history, _ = await _run(env.client, Path(tmp) / "one", one)
            record, _, cpu = await _run(env.client, Path(tmp) / "chain", chain)
    before, markers = _start_of(history)
    size = len(history.to_json())
    print(machine_line())
    print_table(
        "A run's start in its history, and a chain's runs",
        ["events before the first step", "patch markers", "1-step history (JSON bytes)",
         f"runs of a {steps}-step chain ({events} events a run)", "its CPU s"],
        [[before, markers, f"{size:,}", len(record.runs), f"{cpu:.2f}"]],
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--events", type=int, default=40)
    args = parser.parse_args()
    asyncio.run(run(args.steps, args.events))


if __name__ == "__main__":
    main()
