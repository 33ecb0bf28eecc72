"""What `client.py status` of a long plan run costs: a run of N quick steps (and a last one that sleeps), asked
while it runs, once cancelled, and once completed.

    .venv/bin/python -m bench.status_cost [--steps 500,2000,5000] [--parallel 64]

For each N, on a fresh dev server with one worker in this process: the seconds to run the N steps, then the
seconds the worker takes to answer the `record` query while the last step sleeps (the best of 3, with the
steps the answer lists), the seconds `status --json` takes (the command as `client.py` runs it, in this process:
no start-up) of the run then (the worker answers a query), after it was cancelled there (closed: its history
replayed here), and of a second run left to complete (its result read).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import tempfile
import time
import uuid
from pathlib import Path

from temporalio.client import Client, WorkflowHandle, WorkflowQueryFailedError
from temporalio.service import RPCError

from bench.runs import make_worker
from bench.server import dev_server, leave, machine_line
from bench.table import print_table
from orchestra.calls import RunRequest
from orchestra.cli import invoke
from orchestra.plan import Plan, parse_plan
from orchestra.plan_chain import first_run_args
from orchestra.record import ExecutionRecord
from orchestra.telemetry.logging import configure_logging

LAST_SLEEP_S = 600


def plan(steps: int, parallel: int, last_sleep: float) -> Plan:
    ids = [f"s{i}" for i in range(steps - 1)]
    nodes: list[dict[str, object]] = [{"id": i, "tool": "sleep", "args": {"seconds": 0}} for i in ids]
    nodes.append({"id": "last", "tool": "sleep", "args": {"seconds": last_sleep}, "depends_on": ids})
    return parse_plan({"name": f"status-cost-{steps}", "max_parallel": parallel, "nodes": nodes})


async def status_s(client: Client, workflow_id: str) -> float:
    began = time.perf_counter()
    out, err = io.StringIO(), io.StringIO()
    code = await invoke(["status", workflow_id, "--json"], out=out, err=err, client=client)
    seconds = time.perf_counter() - began
    if code not in (0, 1):
        raise SystemExit(f"status {workflow_id} exited {code}: {err.getvalue()[-2000:]}")
    return seconds


async def query_s(handle: WorkflowHandle[object, ExecutionRecord]) -> tuple[float, str]:
    """The best of 3 answers to the record query, and how many steps the answer lists (of how many)."""
    best, listed = float("inf"), "failed"
    for _ in range(3):
        began = time.perf_counter()
        try:
            record = await handle.query("record", result_type=ExecutionRecord)
        except (WorkflowQueryFailedError, RPCError) as exc:
            print(f"  record query failed: {exc}", flush=True)
            continue
        best = min(best, time.perf_counter() - began)
        listed = f"{len(record.steps):,}/{len(record.steps) + record.steps_not_listed:,}"
    return best, listed


async def start(client: Client, tq: str, p: Plan) -> WorkflowHandle[object, ExecutionRecord]:
    return await client.start_workflow(
        "OrchestrationWorkflow", args=first_run_args(RunRequest(plan=p)), id=f"status-{uuid.uuid4().hex[:8]}",
        task_queue=tq, result_type=ExecutionRecord,
    )  # fmt: skip


async def last_step_running(handle: WorkflowHandle[object, ExecutionRecord], steps: int) -> None:
    while True:
        try:
            record = await handle.query("record", result_type=ExecutionRecord)
        except (
            WorkflowQueryFailedError,
            RPCError,
        ) as exc:  # past the deadlock timeout, or its workflow task's, at load
            print(f"  record query failed: {exc}", flush=True)
            await asyncio.sleep(1)
            continue
        done = sum(1 for s in record.steps if s.state.value == "completed") if record else 0
        if done >= steps - 1:
            return
        await asyncio.sleep(1)


async def measure(steps: int, parallel: int) -> list[str]:
    async with dev_server() as env:
        client = env.client
        tq = f"status-{uuid.uuid4().hex[:8]}"
        with tempfile.TemporaryDirectory(prefix="orchestra-bench-ws-") as ws:
            async with make_worker(client, tq, Path(ws) / "workspace"):
                began = time.perf_counter()
                running = await start(client, tq, plan(steps, parallel, LAST_SLEEP_S))
                await last_step_running(running, steps)
                ran = time.perf_counter() - began
                asked_s, listed = await query_s(running)
                open_s = await status_s(client, running.id)
                await running.cancel()
                with contextlib.suppress(Exception):  # cancelled
                    await running.result()
                cancelled_s = await status_s(client, running.id)
                done = await start(client, tq, plan(steps, parallel, 0))
                await done.result()
                completed_s = await status_s(client, done.id)
    row = [
        f"{steps:,}",
        f"{ran:.1f}",
        f"{asked_s:.2f}",
        listed,
        f"{open_s:.2f}",
        f"{cancelled_s:.2f}",
        f"{completed_s:.2f}",
    ]
    print(" | ".join(row), flush=True)
    return row


async def main_async(args: argparse.Namespace) -> None:
    rows = [await measure(int(n), args.parallel) for n in args.steps.split(",")]
    header = [
        "steps",
        "run s",
        "record query s",
        "steps listed",
        "status running s",
        "status cancelled s",
        "status completed s",
    ]
    print_table("`status --json` of a plan run of N steps (one worker, dev server with SQLite)", header, rows)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.status_cost")
    p.add_argument(
        "--steps",
        default="500,2000,5000",
        help="comma-separated step counts (5000,20000: past the deadlock limit before)",
    )
    p.add_argument("--parallel", type=int, default=64, help="the plan's max_parallel")
    args = p.parse_args(argv)
    print(machine_line(), flush=True)
    configure_logging(level="warning")
    asyncio.run(main_async(args))
    return 0


if __name__ == "__main__":
    leave(main())
