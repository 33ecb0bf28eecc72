"""Does a step that does nothing keep heartbeating while the worker is busy?

    .venv/bin/python -m bench.busy_worker [--steps 300] [--parallel 100] [--burners 2] [--timeout 5]

On a fresh dev server: one plan of ``--steps`` shell ``sleep 0`` steps, ``--parallel`` at once, each with
a ``--timeout`` s heartbeat timeout, while ``--burners`` processes spin on the CPU. Prints the worker's
event-loop lag (a 50 ms probe: how late it woke), each attempt's wait from its start (the server's clock)
to its first heartbeat and its longest gap between heartbeats, and the attempts that timed out. A step
whose heartbeats stop for the timeout is retried; three such attempts fail a run that asked for nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import temporalio.activity
from temporalio.client import WorkflowFailureError

import activities.tools as tool_activities
import worker as worker_module
from bench.runs import make_worker
from bench.server import dev_server, leave, machine_line
from orchestra.calls import RunRequest
from orchestra.plan import Plan, parse_plan
from orchestra.plan_chain import first_run_args
from orchestra.record import ExecutionRecord
from orchestra.telemetry.logging import configure_logging

PROBE_S = 0.05
BURN = "while True: pass"


def sleeps(steps: int, parallel: int, timeout_s: float) -> Plan:
    nodes = [
        {"id": f"s{i}", "tool": "shell", "args": {"command": ["sleep", "0"]}, "heartbeat_timeout_s": timeout_s}
        for i in range(steps)
    ]
    return parse_plan({"name": "busy-worker", "max_parallel": parallel, "nodes": nodes})


class Beats:
    """When each attempt started (the server's clock) and when it heartbeat (this process's: one machine)."""

    def __init__(self) -> None:
        self.started: dict[tuple[str, int], float] = {}
        self.beats: dict[tuple[str, int], list[float]] = defaultdict(list)
        self.entered: dict[tuple[str, int], float] = {}

    def enter(self) -> None:
        info = temporalio.activity.info()
        key = (f"{info.workflow_id}/{info.activity_id}", info.attempt)
        self.entered[key] = datetime.now(UTC).timestamp() - info.started_time.timestamp()

    def record(self) -> None:
        info = temporalio.activity.info()
        key = (f"{info.workflow_id}/{info.activity_id}", info.attempt)
        self.started.setdefault(key, info.started_time.replace(tzinfo=info.started_time.tzinfo or UTC).timestamp())
        self.beats[key].append(datetime.now(UTC).timestamp())

    def first_waits(self) -> list[float]:
        return [beats[0] - self.started[key] for key, beats in self.beats.items()]

    def longest_gaps(self) -> list[float]:
        return [max(b - a for a, b in itertools.pairwise(beats)) for beats in self.beats.values() if len(beats) > 1]


def spread(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    return f"p50 {statistics.median(ordered):.2f} / p95 {ordered[int(len(ordered) * 0.95)]:.2f} / max {ordered[-1]:.2f}"


async def probe_lag(lags: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        before = time.perf_counter()
        await asyncio.sleep(PROBE_S)
        lags.append(time.perf_counter() - before - PROBE_S)


async def measure(args: argparse.Namespace) -> None:
    beats = Beats()
    heartbeat = temporalio.activity.heartbeat

    def recorded(*details: Any) -> None:
        beats.record()
        heartbeat(*details)

    temporalio.activity.heartbeat = recorded  # activities and tools look it up at each call
    import activities.tools as t

    forever = t.heartbeat_forever

    async def entered(beat: Callable[[], None] | None = None) -> None:
        beats.enter()
        await forever(beat)

    tool_activities.heartbeat_forever = entered  # when run_tool began (the SDK started it just before)
    burners: list[asyncio.subprocess.Process] = []
    try:
        async with dev_server() as env:  # started first: loaded, it may not start within its 5 s
            burners += [await asyncio.create_subprocess_exec(sys.executable, "-c", BURN) for _ in range(args.burners)]
            client = env.client
            tq = f"busy-{uuid.uuid4().hex[:8]}"
            with tempfile.TemporaryDirectory(prefix="orchestra-bench-ws-") as ws:
                workspace = Path(ws) / "workspace"
                workspace.mkdir()
                async with make_worker(client, tq, workspace, **options(args)):
                    lags: list[float] = []
                    stop = asyncio.Event()
                    probe = asyncio.create_task(probe_lag(lags, stop))
                    began = time.perf_counter()
                    handle = await client.start_workflow(
                        "OrchestrationWorkflow", args=first_run_args(RunRequest(plan=sleeps(args.steps, args.parallel, args.timeout))),
                        id=f"busy-{uuid.uuid4().hex[:6]}", task_queue=tq, result_type=ExecutionRecord,
                    )  # fmt: skip
                    try:
                        record: ExecutionRecord = await handle.result()
                    except WorkflowFailureError as exc:
                        cause: Any = exc.cause
                        record = ExecutionRecord.model_validate(cause.details[0])
                    wall = time.perf_counter() - began
                    stop.set()
                    await probe
    finally:
        for burner in burners:
            burner.kill()
            await burner.wait()
        temporalio.activity.heartbeat = heartbeat
        tool_activities.heartbeat_forever = forever
    retried = sum(1 for step in record.steps if step.attempts > 1)
    failed = sum(1 for step in record.steps if step.state.value == "error")
    print(
        f"{args.steps} x sleep 0, {args.parallel} at once, {args.burners} CPU burners, heartbeat timeout {args.timeout:g} s,"
        f" max_concurrent_activities {make_worker_activities(args)}"
    )
    print(f"  run: {record.state.value} in {wall:.1f} s; steps retried {retried}, failed {failed}")
    print(f"  event-loop lag s: {spread(lags)}")
    print(f"  start -> first heartbeat s: {spread(beats.first_waits())} ({len(beats.beats)} attempts beat)")
    print(f"  start -> run_tool entered s: {spread(list(beats.entered.values()))}")
    print(f"  longest gap between heartbeats s: {spread(beats.longest_gaps())}", flush=True)


def options(args: argparse.Namespace) -> dict[str, Any]:
    return {"max_concurrent_activities": args.activities} if args.activities else {}


def make_worker_activities(args: argparse.Namespace) -> int:
    return int(args.activities or worker_module.WORKER_TUNING["max_concurrent_activities"])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.busy_worker")
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--parallel", type=int, default=100)
    p.add_argument("--burners", type=int, default=2)
    p.add_argument("--timeout", type=float, default=5.0)
    p.add_argument(
        "--activities", type=int, default=0, help="the worker's max_concurrent_activities (default: as shipped)"
    )
    args = p.parse_args(argv)
    print(machine_line(), flush=True)
    configure_logging(level="warning")
    asyncio.run(measure(args))
    return 0


if __name__ == "__main__":
    leave(main())
