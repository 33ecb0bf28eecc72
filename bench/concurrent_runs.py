"""Many runs at once: does one worker keep up with what the dev server can take?

    .venv/bin/python -m bench.concurrent_runs [--runs 500] [--steps 10] [--only NAME,NAME]
        [--sleep SECONDS --heartbeat-every 2,30]

For each worker variant, on a fresh dev server (SQLite on disk, as embedded): ``--runs`` plans of
``--steps`` no-op steps started together, then as many bare workflows running the same ``run_tool``
activity the same number of times. Prints runs/s and steps/s of both and their ratio, the workflow
tasks that timed out (a task the worker took too long to pick up: the target is 0), and how long
workflow tasks waited to start (p50/p95/max, from the histories), and the CPU seconds the dev server and
this process (client and worker) spent.

With ``--sleep``, each step sleeps that long (the bare workflows, whose steps do not, are left out), and with
``--heartbeat-every`` the variants are the shipped worker with each ORCHESTRA_HEARTBEAT_EVERY_S given: what
the heartbeats of many running steps cost the server. A step heartbeats at most every 80% of its heartbeat
timeout (5 s unless its plan or tool says otherwise) whatever the setting.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from temporalio.api.enums.v1 import EventType, TimeoutType
from temporalio.client import Client, WorkflowFailureError, WorkflowHandle
from temporalio.service import RPCError
from temporalio.worker import PollerBehaviorSimpleMaximum

from bench.bare_tool import BareToolChainWorkflow
from bench.runs import make_worker
from bench.server import dev_server, leave, machine_line
from bench.table import print_table
from orchestra.calls import RunRequest
from orchestra.plan import Plan, parse_plan
from orchestra.plan_chain import first_run_args
from orchestra.record import ExecutionRecord
from orchestra.telemetry.logging import configure_logging
from worker import heartbeats_every

# The options create_worker sets (worker.WORKER_TUNING) are what "as shipped" measures; the others change
# them from there.
VARIANTS: dict[str, dict[str, Any]] = {
    "as shipped": {},
    "as shipped but 100 workflow tasks": {"max_concurrent_workflow_tasks": 100},
    "SDK defaults": {
        "max_concurrent_workflow_tasks": 100,
        "max_concurrent_activities": 100,
        "max_concurrent_local_activities": 100,
        "workflow_task_poller_behavior": PollerBehaviorSimpleMaximum(5),
        "activity_task_poller_behavior": PollerBehaviorSimpleMaximum(5),
        "max_cached_workflows": 1000,
        "sticky_queue_schedule_to_start_timeout": timedelta(seconds=10),
    },
}


HEADER = ["worker", "workflows", "runs/s", "steps/s", "wall s", "WFT timeouts (to start/to close)",
          "WFT wait p50 ms", "p95 ms", "max ms", "server CPU s", "this process CPU s", "runs failed"]  # fmt: skip


@dataclass
class Outcome:
    seconds: float
    wft_timeouts: str  # "schedule-to-start/start-to-close"
    wft_waits_ms: list[float]
    server_cpu_s: float
    own_cpu_s: float
    failed: int


def server_cpu_s() -> float:
    """CPU seconds (user + system) of this process's `temporal` children: the dev server."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            name = stat.read_text().split("(", 1)[1].rsplit(")", 1)[0]
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and "temporal" in name:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def chain(steps: int, sleep: float = 0) -> Plan:
    nodes = [
        {"id": f"s{i}", "tool": "sleep", "args": {"seconds": sleep}, "depends_on": [f"s{i - 1}"] if i else []}
        for i in range(steps)
    ]
    return parse_plan({"name": f"concurrent-chain{steps}", "max_parallel": 1, "nodes": nodes})


async def wft_stats(handle: WorkflowHandle[Any, Any]) -> tuple[list[int], list[float]]:
    """Workflow tasks that timed out (waiting to start, running), and each task's wait to start (ms)."""
    scheduled: dict[int, float] = {}
    waits: list[float] = []
    timeouts = [0, 0]
    async for event in handle.fetch_history_events():
        at = event.event_time.ToDatetime().timestamp()
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
            scheduled[event.event_id] = at
        elif event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
            since = scheduled.get(event.workflow_task_started_event_attributes.scheduled_event_id)
            if since is not None:
                waits.append((at - since) * 1000)
        elif event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT:
            kind = event.workflow_task_timed_out_event_attributes.timeout_type
            timeouts[0 if kind == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START else 1] += 1
    return timeouts, waits


async def run_all(client: Client, starts: list[Any]) -> Outcome:
    began, server_began, own_began = time.perf_counter(), server_cpu_s(), time.process_time()
    handles: list[WorkflowHandle[Any, Any]] = await asyncio.gather(*starts)
    failed = sum(not ok for ok in await asyncio.gather(*(completed(h) for h in handles)))
    seconds = time.perf_counter() - began
    server, own = server_cpu_s() - server_began, time.process_time() - own_began
    stats = await asyncio.gather(*(wft_stats(h) for h in handles))
    to_start, to_close = sum(t[0] for t, _ in stats), sum(t[1] for t, _ in stats)
    return Outcome(seconds, f"{to_start}/{to_close}", [w for _, ws in stats for w in ws], server, own, failed)


async def completed(handle: WorkflowHandle[Any, Any]) -> bool:
    """Whether the run completed: a loaded server answers a long poll "Workflow is busy", asked again."""
    while True:
        try:
            await handle.result()
            return True
        except RPCError:
            await asyncio.sleep(1)
        except WorkflowFailureError:
            return False


async def measure(name: str, options: dict[str, Any], args: argparse.Namespace) -> list[Any]:
    plan = chain(args.steps, args.sleep)
    async with dev_server() as env:
        client = env.client
        tq = f"conc-{uuid.uuid4().hex[:8]}"
        with tempfile.TemporaryDirectory(prefix="orchestra-bench-ws-") as ws:
            worker = make_worker(client, tq, Path(ws) / "workspace", extra_workflows=[BareToolChainWorkflow], **options)
            async with worker:
                ours = await run_all(
                    client,
                    [
                        client.start_workflow(
                            "OrchestrationWorkflow", args=first_run_args(RunRequest(plan=plan)),
                            id=f"ours-{i}-{uuid.uuid4().hex[:6]}", task_queue=tq, result_type=ExecutionRecord,
                        )
                        for i in range(args.runs)
                    ],
                )  # fmt: skip
                bare = (
                    None
                    if args.sleep
                    else await run_all(
                        client,
                        [
                            client.start_workflow(
                                BareToolChainWorkflow.run,
                                args.steps,
                                id=f"bare-{i}-{uuid.uuid4().hex[:6]}",
                                task_queue=tq,
                            )
                            for i in range(args.runs)
                        ],
                    )
                )
    rows = []
    for label, outcome in (("engine", ours), ("bare", bare)):
        if outcome is None:
            continue
        waits = sorted(outcome.wft_waits_ms)
        rows.append(
            [name, label, f"{args.runs / outcome.seconds:.1f}", f"{args.runs * args.steps / outcome.seconds:.0f}",
             f"{outcome.seconds:.1f}", outcome.wft_timeouts, f"{statistics.median(waits):.0f}",
             f"{waits[int(len(waits) * 0.95)]:.0f}", f"{waits[-1]:.0f}", f"{outcome.server_cpu_s:.1f}",
             f"{outcome.own_cpu_s:.1f}", outcome.failed]
        )  # fmt: skip
    if bare is not None:
        rows.append([name, "engine/bare", f"{bare.seconds / ours.seconds:.2f}", *[""] * (len(HEADER) - 3)])
    for row in rows:
        print(" | ".join(str(c) for c in row), flush=True)
    return rows


async def main_async(args: argparse.Namespace) -> None:
    wanted = [w.strip() for w in args.only.split(",") if w.strip()]
    rows: list[list[Any]] = []
    variants = VARIANTS
    if args.heartbeat_every:
        variants = {f"heartbeat every {s} s": heartbeats_every(float(s)) for s in args.heartbeat_every.split(",")}
    for name, options in variants.items():
        if not wanted or any(w in name for w in wanted):
            rows += await measure(name, options, args)
    print_table(
        f"{args.runs} concurrent runs of {args.steps} steps of {args.sleep:g} s (one worker, dev server with SQLite)",
        HEADER,
        rows,
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.concurrent_runs")
    p.add_argument("--runs", type=int, default=500)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--only", default="", help="comma-separated substrings of variant names")
    p.add_argument("--sleep", type=float, default=0, help="seconds each step sleeps (no bare workflows then)")
    p.add_argument("--heartbeat-every", default="", help="comma-separated seconds: one shipped worker for each")
    args = p.parse_args(argv)
    print(machine_line(), flush=True)
    configure_logging(level="warning")
    asyncio.run(main_async(args))
    return 0


if __name__ == "__main__":
    leave(main())
