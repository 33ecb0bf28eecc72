"""Makespan vs critical path, and per-step overhead vs bare Temporal.

    .venv/bin/python -m bench.dag_makespan [--widths 1,4,16,64] [--duration 1.0] [--seed 7]
                                           [--repeats 2] [--chain 50] [--quick]

Starts its own dev server (SQLite in a temp dir) and an in-process worker built by create_worker.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import uuid
from pathlib import Path

from temporalio.client import Client

from bench.bare import BareChainWorkflow, BareFanoutWorkflow
from bench.dags import chain, layered_dag
from bench.runs import dispatch_lag_ms, make_worker, run_bare, run_plan
from bench.server import dev_server, leave, machine_line
from bench.table import print_table
from orchestra.telemetry.logging import configure_logging

LAYERS = 4


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.dag_makespan", description=__doc__.split("\n\n")[0])
    p.add_argument("--widths", default="1,4,16,64", help="comma-separated DAG widths (max nodes per layer)")
    p.add_argument("--duration", type=float, default=1.0, help="base step duration in seconds (x0.5, x1, x1.5)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--repeats", type=int, default=5, help="runs per measurement; the median is reported")
    p.add_argument("--chain", type=int, default=50, help="steps in the zero-second chain")
    p.add_argument("--layers", type=int, default=LAYERS)
    p.add_argument("--quick", action="store_true", help="one repeat, shorter steps: a smoke run in about a minute")
    args = p.parse_args(argv)
    if args.quick:
        args.repeats, args.duration, args.chain = 1, min(args.duration, 0.5), min(args.chain, 30)
    args.width_list = [int(w) for w in args.widths.split(",") if w.strip()]
    return args


async def part1(client: Client, tq: str, args: argparse.Namespace) -> None:
    rows = []
    for width in args.width_list:
        dag = layered_dag(width, args.layers, args.duration, args.seed)
        runs = [await run_plan(client, tq, dag.plan) for _ in range(args.repeats)]
        makespan = statistics.median(r.makespan_s for r in runs)
        wall = statistics.median(r.wall_s for r in runs)
        lag = statistics.median(dispatch_lag_ms(r.record) for r in runs if r.record)
        cp = dag.critical_path_s
        rows.append(
            [width, dag.nodes, f"{cp:.2f}", f"{makespan:.2f}", f"{makespan / cp:.3f}", f"{makespan - cp:.2f}",
             f"{wall:.2f}", f"{lag:.0f}"]
        )  # fmt: skip
    print_table(
        f"Part 1 - makespan vs critical path ({args.layers} layers, steps of {args.duration:g}s x 0.5/1/1.5, "
        f"max_parallel = width, median of {args.repeats})",
        ["width", "nodes", "crit. path s", "makespan s", "ratio", "overhead s", "client wall s", "dispatch lag ms"],
        rows,
    )


async def part2(client: Client, tq: str, args: argparse.Namespace) -> None:
    n = args.chain
    ours = [await run_plan(client, tq, chain(n)) for _ in range(args.repeats)]
    bare = [await run_bare(client, tq, BareChainWorkflow.run, n) for _ in range(args.repeats)]
    ours_ms = statistics.median(r.makespan_s for r in ours) / n * 1000
    bare_ms = statistics.median(r.makespan_s for r in bare) / n * 1000
    ours_wall = statistics.median(r.wall_s for r in ours) / n * 1000
    bare_wall = statistics.median(r.wall_s for r in bare) / n * 1000
    print_table(
        f"Part 2a - chain of {n} zero-second steps (median of {args.repeats})",
        ["workflow", "per step ms", "per step ms (client wall)", "workflow task ms", "workflow tasks"],
        [
            ["OrchestrationWorkflow", f"{ours_ms:.1f}", f"{ours_wall:.1f}",
             f"{statistics.median(r.wft_ms for r in ours):.1f}", ours[0].wft_count],
            ["bare for-loop", f"{bare_ms:.1f}", f"{bare_wall:.1f}",
             f"{statistics.median(r.wft_ms for r in bare):.1f}", bare[0].wft_count],
            ["ratio ours / bare", f"{ours_ms / bare_ms:.2f}x", f"{ours_wall / bare_wall:.2f}x", "", ""],
        ],
    )  # fmt: skip
    rows = []
    for width in args.width_list:
        runs = [await run_bare(client, tq, BareFanoutWorkflow.run, width, args.duration) for _ in range(args.repeats)]
        makespan = statistics.median(r.makespan_s for r in runs)
        rows.append([width, f"{args.duration:g}", f"{makespan:.2f}", f"{makespan / args.duration:.3f}"])
    print_table(
        f"Part 2b - bare fan-out: width no-op activities of {args.duration:g}s started together (median of {args.repeats})",
        ["width", "activity s", "makespan s", "ratio"],
        rows,
    )


async def main(args: argparse.Namespace) -> None:
    print(machine_line(), flush=True)
    async with dev_server() as env:
        tq = f"bench-{uuid.uuid4().hex[:8]}"
        with tempfile.TemporaryDirectory(prefix="orchestra-bench-ws-") as ws:
            async with make_worker(env.client, tq, Path(ws) / "workspace"):
                # One warm-up run: the first workflow pays for sandbox imports and server caches.
                await run_plan(env.client, tq, chain(3))
                await part1(env.client, tq, args)
                await part2(env.client, tq, args)


def run(argv: list[str] | None = None) -> int:
    configure_logging(level="warning")  # the tables are the output; per-call log lines are noise and cost
    asyncio.run(main(parse_args(argv)))
    return 0


if __name__ == "__main__":
    leave(run())
