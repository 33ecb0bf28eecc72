"""One plan of many no-op steps, from start to its record: does the engine keep its pace as plans grow?

    .venv/bin/python -m bench.plan_scale [--sizes 1000,10000,100000] [--width 64] [--local] [--show-failed]

For each size, on a fresh dev server (SQLite on disk, as embedded) with the shipped worker in its own
process (`python worker.py`, as deployed): a plan of ``--sizes`` `sleep 0` steps, each depending on the
step ``--width`` places before it (so ``--width`` can run at once, max_parallel the same), started as a
client starts it, waited for to its end. Prints whether it completed, steps/s (start to record), the
continue-as-new chain it ran as (runs), history events per step (summed over the chain), the workflow tasks
that failed over the chain (target 0), the worker's peak RSS (VmHWM) and its CPU seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from temporalio.api.enums.v1 import EventType, WorkflowTaskFailedCause
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client, WorkflowFailureError

from bench.server import dev_server, leave, machine_line
from bench.table import print_table
from orchestra.calls import RunRequest
from orchestra.plan import Plan, parse_plan
from orchestra.plan_chain import first_run_args
from orchestra.record import ExecutionRecord
from orchestra.settings import PROJECT_ROOT

READY = "worker ready:"
HEADER = ["nodes", "completed", "wall s", "steps/s", "runs in chain", "history events/step", "workflow tasks failed",
          "first / largest workflow task ms", "worker peak RSS MB", "worker CPU s"]  # fmt: skip


@dataclass
class TaskTimes:
    """Workflow task durations (started -> completed, or -> failed or timed out) over the chain, in ms: a task
    past its timeout is retried and does its work again, so what matters is the first (the plan's start) and
    the largest."""

    first: float = 0.0
    largest: float = 0.0

    def add(self, history: list[HistoryEvent]) -> None:
        started: datetime | None = None
        for event in history:
            if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
                started = event.event_time.ToDatetime()
            elif event.event_type in TASK_ENDS and started is not None:
                ms = (event.event_time.ToDatetime() - started).total_seconds() * 1000
                self.first, self.largest, started = self.first or ms, max(self.largest, ms), None


TASK_ENDS = (EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
             EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT)  # fmt: skip


@dataclass
class Outcome:
    nodes: int
    completed: int
    wall_s: float
    runs: int
    events: int
    task_failures: int
    task_ms: TaskTimes
    peak_rss_mb: float
    cpu_s: float

    def row(self) -> list[Any]:
        return [f"{self.nodes:,}", f"{self.completed:,}", f"{self.wall_s:.1f}", f"{self.completed / self.wall_s:.0f}",
                self.runs, f"{self.events / max(self.nodes, 1):.2f}", self.task_failures, f"{self.task_ms.first:.0f} / {self.task_ms.largest:.0f}", f"{self.peak_rss_mb:.0f}",
                f"{self.cpu_s:.0f}"]  # fmt: skip


def no_op_plan(nodes: int, width: int, local: bool) -> Plan:
    steps = [
        {"id": f"n{i}", "tool": "sleep", "args": {"seconds": 0}, **({"depends_on": [f"n{i - width}"]} if i >= width else {}),
         **({"local": True} if local else {})}
        for i in range(nodes)
    ]  # fmt: skip
    return parse_plan({"name": f"scale-{nodes}", "max_parallel": width, "nodes": steps})


def proc_status(pid: int) -> tuple[float, float]:
    """The process's peak resident set (MB, VmHWM) and CPU time (s) so far."""
    peak = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) / 1024
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return peak, (int(fields[11]) + int(fields[12])) / ticks


async def worker_process(address: str, task_queue: str, data_dir: Path, log: Path) -> asyncio.subprocess.Process:
    """The worker, once it says it is ready; its output goes to ``log``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEMPORAL_", "ORCHESTRA_"))}
    env.update(TEMPORAL_ADDRESS=address, ORCHESTRA_TASK_QUEUE=task_queue, ORCHESTRA_DATA_DIR=str(data_dir),
               ORCHESTRA_LOG_LEVEL="warning", PYTHONUNBUFFERED="1")  # fmt: skip
    with log.open("ab") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(PROJECT_ROOT / "worker.py"), env=env, cwd=PROJECT_ROOT, stdout=out, stderr=out,
        )  # fmt: skip
    for _ in range(1200):
        if READY in log.read_text(errors="replace"):
            return process
        if process.returncode is not None:
            raise RuntimeError(f"the worker exited: see {log}")
        await asyncio.sleep(0.1)
    raise RuntimeError(f"the worker did not get ready: see {log}")


async def chain_history(
    client: Client, workflow_id: str, runs: list[str], show_failed: bool = False, times: TaskTimes | None = None
) -> tuple[int, Counter[str]]:
    """History events over the chain, and the workflow tasks that failed by cause and first message (the
    worker retries each: a failure costs time, not the run, so only this shows one, e.g. an activation
    over Temporal's 2 s deadlock limit). ``show_failed``: print the events around each failure."""
    events, failed = 0, Counter[str]()
    for run_id in runs:
        history = [e async for e in client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history_events()]
        events += len(history)
        if times is not None:
            times.add(history)
        for at, event in enumerate(history):
            if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED:
                attributes = event.workflow_task_failed_event_attributes
                cause = WorkflowTaskFailedCause.Name(attributes.cause).removeprefix("WORKFLOW_TASK_FAILED_CAUSE_")
                failed[f"{cause}: {attributes.failure.message[:100]}"] += 1
                if show_failed:
                    print(f"run {run_id}: workflow task failed ({cause}); the events around it:", flush=True)
                    for near in history[max(at - 8, 0) : at + 8]:
                        print(f"  {describe(near)}", flush=True)
    return events, failed


def describe(event: HistoryEvent) -> str:
    """One line for a history event: id, time, type and the attributes that say what it is about."""
    kind = EventType.Name(event.event_type).removeprefix("EVENT_TYPE_")
    attributes = event.WhichOneof("attributes")
    detail = getattr(event, attributes) if attributes else None
    about = ""
    for name in ("activity_id", "scheduled_event_id", "started_event_id", "marker_name", "timer_id", "signal_name"):
        if detail is not None and detail.DESCRIPTOR.fields_by_name.get(name) and getattr(detail, name):
            about += f" {name}={getattr(detail, name)}"
    return f"{event.event_id:>6} {event.event_time.ToDatetime():%H:%M:%S.%f} {kind}{about}"


async def measure(nodes: int, args: argparse.Namespace) -> Outcome:
    plan = no_op_plan(nodes, args.width, args.local)
    with tempfile.TemporaryDirectory(prefix="orchestra-scale-") as tmp:
        data_dir = Path(tmp)
        async with dev_server(data_dir=data_dir) as env:
            client = env.client
            task_queue = f"scale-{uuid.uuid4().hex[:8]}"
            address = client.service_client.config.target_host
            worker = await worker_process(address, task_queue, data_dir, args.worker_log or data_dir / "worker.log")
            try:
                began = time.perf_counter()
                handle = await client.start_workflow(
                    "OrchestrationWorkflow", args=first_run_args(RunRequest(plan=plan)),
                    id=f"scale-{nodes}-{uuid.uuid4().hex[:6]}", task_queue=task_queue, result_type=ExecutionRecord,
                )  # fmt: skip
                try:
                    record: ExecutionRecord = await handle.result()
                except WorkflowFailureError as failure:
                    print(f"{nodes:,} nodes: the run failed: {failure.cause}", flush=True)
                    raise
                wall = time.perf_counter() - began
                peak, cpu = proc_status(worker.pid)
            finally:
                worker.send_signal(signal.SIGTERM)
                await worker.wait()
            times = TaskTimes()
            events, failed = await chain_history(client, handle.id, record.runs, args.show_failed, times)
    for cause, count in failed.items():
        print(f"{nodes:,} nodes: {count} workflow task(s) failed with {cause}", flush=True)
    outcome = Outcome(nodes, record.metrics.completed, wall, len(record.runs), events, failed.total(), times, peak, cpu)
    print(" | ".join(str(c) for c in outcome.row()), flush=True)
    return outcome


async def main_async(args: argparse.Namespace) -> None:
    rows = [(await measure(int(size), args)).row() for size in args.sizes.split(",")]
    kind = "local activities" if args.local else "activities"
    print_table(
        f"One plan of no-op steps ({kind}, {args.width} at once), shipped worker in its own process, dev server with SQLite",
        HEADER,
        rows,
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.plan_scale")
    p.add_argument("--sizes", default="1000,10000,100000")
    p.add_argument("--width", type=int, default=64, help="steps that can run at once (max_parallel)")
    p.add_argument("--local", action="store_true", help="run the steps as local activities")
    p.add_argument(
        "--worker-log", type=Path, help="append the worker's output to this file (default: the run's temporary folder)"
    )
    p.add_argument(
        "--show-failed", action="store_true", help="print the history events around each failed workflow task"
    )
    args = p.parse_args(argv)
    print(machine_line(), flush=True)
    print(" | ".join(HEADER), flush=True)
    asyncio.run(main_async(args))
    return 0


if __name__ == "__main__":
    leave(main())
