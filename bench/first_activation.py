"""A huge plan's FIRST run, up to its first step: the workflow tasks it takes, started whole (the request decoded in
the first activation, as before) or by reference (orchestra/plan_start.py: one piece in the request, the others read
back one a workflow task). The SDK's deadlock detector gives an activation 2 s; a task past it fails and is retried.

    .venv/bin/python -m bench.first_activation [--sizes 50000,150000] [--width 64]

For each size and way, on a fresh dev server (SQLite on disk) with the shipped worker in its own process: the plan
started as `start` starts it, followed until its first step is scheduled (or its first run's workflow task failed 3 times), then terminated. Prints the first workflow
task's duration, the largest one before the first step, how many tasks that took and how many failed (target 0); and
the costliest activation's CPU time, its history replayed here (bench/activation_times.py): a task's duration counts its
local activities too, the deadlock detector one activation of the workflow's code.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from bench.activation_times import activation_seconds
from bench.plan_scale import TASK_ENDS, no_op_plan, worker_process
from bench.server import dev_server, leave, machine_line
from bench.table import print_table
from orchestra.calls import RunRequest
from orchestra.plan_chain import first_run_args
from orchestra.plan_start import WORKFLOW_TYPE, by_reference
from orchestra.settings import Settings
from orchestra.temporal_bounds import MIN_EVENTS_PER_RUN

HEADER = ["nodes", "started", "client s", "first task ms", "largest task ms", "tasks to 1st step", "tasks failed",
          "costliest activation CPU ms (replayed)"]  # fmt: skip
FOLLOW_S = 600
GIVE_UP_AFTER = 3  # failed attempts of a workflow task


async def first_run_tasks(client: Client, workflow_id: str, continued: bool = False) -> tuple[list[float], int, float]:
    """The durations (ms) of the run's workflow tasks until its first step is scheduled, how many failed, and the CPU
    time (ms) of the costliest activation, replayed. ``continued``: of the chain's second run (the plan hands over
    after its first steps), which reads the plan and its schedule as the first hand-over stored them."""
    handle = client.get_workflow_handle(workflow_id)
    deadline = time.monotonic() + FOLLOW_S
    retried = 0
    if continued:
        first = now = (await handle.describe()).run_id
        for _ in range(FOLLOW_S):
            if (now := (await handle.describe()).run_id) != first:
                break
            await asyncio.sleep(1)
        handle = client.get_workflow_handle(workflow_id, run_id=now)
    while time.monotonic() < deadline:
        events = [e async for e in handle.fetch_history_events()]
        if any(e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED for e in events):
            break
        # The server records a workflow task's first failure only; its retries are counted by its attempt.
        attempt = (await handle.describe()).raw_description.pending_workflow_task.attempt
        retried = max(retried, attempt - 1)
        if retried >= GIVE_UP_AFTER:
            break  # failing as it will on every retry (the deadlock detector): no first step to wait for
        await asyncio.sleep(1)
    await client.get_workflow_handle(workflow_id).terminate("measured")
    activations = await activation_seconds(await handle.fetch_history(), client.data_converter, client.namespace)
    times, failed, started = [], 0, None
    for event in events:
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
            started = event.event_time.ToDatetime()
        elif event.event_type in TASK_ENDS and started is not None:
            times.append((event.event_time.ToDatetime() - started).total_seconds() * 1000)
            failed += event.event_type != EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED
            started = None
    return times, max(failed, retried), max(activations, default=0) * 1000


async def measure(
    client: Client, task_queue: str, nodes: int, width: int, stored: bool, continued: bool = False
) -> list[Any]:
    workflow_id = f"first-{nodes}-{uuid.uuid4().hex[:6]}"
    began = time.perf_counter()
    plan = no_op_plan(nodes, width, local=False)
    if continued:  # hands over after its first steps
        plan = plan.model_copy(update={"history_events_per_run": MIN_EVENTS_PER_RUN})
    request = RunRequest(plan=plan)
    if stored:
        request = await by_reference(client, request, workflow_id, Settings())
    await client.start_workflow(WORKFLOW_TYPE, args=first_run_args(request), id=workflow_id, task_queue=task_queue)
    client_s = time.perf_counter() - began
    times, failed, costliest = await first_run_tasks(client, workflow_id, continued)
    way = ("by reference" if stored else "whole") + (", 2nd run" if continued else "")
    return [f"{nodes:,}", way, f"{client_s:.1f}", f"{times[0]:.0f}" if times else "-",
            f"{max(times):.0f}" if times else "-", len(times), failed, f"{costliest:.0f}"]  # fmt: skip


async def main_async(args: argparse.Namespace) -> list[list[Any]]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="orchestra-first-") as tmp:
        data_dir = Path(tmp)
        async with dev_server(data_dir=data_dir) as env:
            task_queue = f"first-{uuid.uuid4().hex[:8]}"
            address = env.client.service_client.config.target_host
            worker = await worker_process(address, task_queue, data_dir, args.worker_log or data_dir / "worker.log")
            try:
                for size in args.sizes.split(","):
                    for stored in [way == "stored" for way in args.ways.split(",")]:
                        rows.append(
                            await measure(env.client, task_queue, int(size), args.width, stored, args.continued)
                        )
                        print(" | ".join(str(c) for c in rows[-1]), flush=True)
            finally:
                worker.send_signal(signal.SIGTERM)
                await worker.wait()
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.first_activation")
    p.add_argument("--sizes", default="50000,150000")
    p.add_argument("--width", type=int, default=64, help="steps that can run at once (max_parallel)")
    p.add_argument("--ways", default="whole,stored", help="how the plan is started: whole, stored (by reference)")
    p.add_argument("--continued", action="store_true", help="measure the chain's second run, not its first")
    p.add_argument("--worker-log", type=Path, help="the worker's output (default: the run's temporary folder)")
    args = p.parse_args(argv)
    print(machine_line(), flush=True)
    rows = asyncio.run(main_async(args))
    print_table("A plan's first run up to its first step: workflow tasks (the deadlock detector: 2 s)", HEADER, rows)
    return 0


if __name__ == "__main__":
    leave(main())
