"""Experiments: what worker options, server flags, local activities and the workflow's own work cost.

    .venv/bin/python -m bench.worker_options [--repeats 2] [--chain 30] [--width 64] [--duration 1.0]
                                             [--only NAME,NAME]

For each variant: per-step ms of a zero-second chain (with the bare chain measured on the same worker
as the reference) and the makespan/critical-path ratio of one random layered DAG.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from temporalio.worker import PollerBehaviorAutoscaling, PollerBehaviorSimpleMaximum

from bench.bare import BareChainWorkflow
from bench.dags import chain, layered_dag
from bench.lean import LeanOrchestrationWorkflow
from bench.runs import dispatch_lag_ms, make_worker, run_bare, run_plan
from bench.server import EAGER_ACTIVITIES, dev_server, leave, machine_line
from bench.table import print_table
from orchestra.registry import ToolRegistry, default_registry
from orchestra.telemetry.logging import configure_logging


@dataclass
class Variant:
    name: str
    options: dict[str, Any] = field(default_factory=dict)
    server_args: Sequence[str] = ()
    local_sleep: bool = False
    lean: bool = False


VARIANTS = [
    Variant("create_worker as is"),
    Variant("no eager activities", {"disable_eager_activity_execution": True}),
    Variant("eager reservations 3 -> 64", {"max_eager_activity_reservations_per_workflow_task": 64}),
    Variant("activity polls 5 -> 32", {"activity_task_poller_behavior": PollerBehaviorSimpleMaximum(32)}),
    Variant("activity polls autoscaling", {"activity_task_poller_behavior": PollerBehaviorAutoscaling()}),
    Variant("workflow polls 5 -> 16", {"workflow_task_poller_behavior": PollerBehaviorSimpleMaximum(16)}),
    Variant("workflow polls autoscaling", {"workflow_task_poller_behavior": PollerBehaviorAutoscaling()}),
    Variant("nonsticky ratio 0.2 -> 0.5", {"nonsticky_to_sticky_poll_ratio": 0.5}),
    Variant("max workflow tasks 4", {"max_concurrent_workflow_tasks": 4}),
    Variant(
        "polls 32 + eager 64",
        {
            "activity_task_poller_behavior": PollerBehaviorSimpleMaximum(32),
            "max_eager_activity_reservations_per_workflow_task": 64,
        },
    ),
    Variant("sleep as local activity", local_sleep=True),
    Variant("workflow without UI details", lean=True),
    Variant("server: enableActivityEagerExecution", server_args=EAGER_ACTIVITIES),
]


def local_sleep_registry() -> ToolRegistry:
    registry = default_registry()
    sleep = registry.get("sleep")
    registry.register(type(sleep)(spec=sleep.spec.model_copy(update={"local": True}), run=sleep.run), replace=True)
    return registry


async def measure(variants: list[Variant], args: argparse.Namespace) -> list[list[Any]]:
    rows: list[list[Any]] = []
    dag = layered_dag(args.width, 4, args.duration, args.seed)
    for server_args in dict.fromkeys(tuple(v.server_args) for v in variants):
        async with dev_server(server_args) as env:
            for v in (v for v in variants if tuple(v.server_args) == server_args):
                tq = f"opt-{uuid.uuid4().hex[:8]}"
                options = dict(v.options)
                if v.lean:
                    options["extra_workflows"] = [LeanOrchestrationWorkflow]
                name = "BenchLeanOrchestration" if v.lean else None
                registry = local_sleep_registry() if v.local_sleep else None
                with tempfile.TemporaryDirectory(prefix="orchestra-bench-ws-") as ws:
                    async with make_worker(env.client, tq, Path(ws) / "workspace", registry, **options):
                        await run_plan(env.client, tq, chain(3), name)  # warm-up
                        ours, bare, dags = [], [], []
                        for _ in range(args.repeats):
                            ours.append(await run_plan(env.client, tq, chain(args.chain), name))
                            bare.append(await run_bare(env.client, tq, BareChainWorkflow.run, args.chain))
                            dags.append(await run_plan(env.client, tq, dag.plan, name))
                ours_ms = statistics.median(r.makespan_s for r in ours) / args.chain * 1000
                bare_ms = statistics.median(r.makespan_s for r in bare) / args.chain * 1000
                makespan = statistics.median(r.makespan_s for r in dags)
                rows.append(
                    [v.name, f"{ours_ms:.1f}", f"{bare_ms:.1f}", f"{ours_ms / bare_ms:.2f}x",
                     f"{statistics.median(r.wft_ms for r in ours):.1f}", f"{makespan:.2f}",
                     f"{makespan / dag.critical_path_s:.3f}", f"{statistics.median(r.wft_ms for r in dags):.1f}",
                     f"{statistics.median(dispatch_lag_ms(r.record) for r in dags if r.record):.0f}"]
                )  # fmt: skip
                print(" | ".join(str(c) for c in rows[-1]), flush=True)
    print_table(
        f"Worker/server variants - chain of {args.chain}; DAG width {args.width}, {dag.nodes} nodes, "
        f"critical path {dag.critical_path_s:.2f}s (median of {args.repeats})",
        ["variant", "chain ms/step", "bare ms/step", "ours/bare", "chain WFT ms", "DAG makespan s", "ratio",
         "DAG WFT ms", "dispatch lag ms"],
        rows,
    )  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.worker_options")
    p.add_argument("--repeats", type=int, default=2)
    p.add_argument("--chain", type=int, default=30)
    p.add_argument("--width", type=int, default=64)
    p.add_argument("--duration", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--only", default="", help="comma-separated substrings of variant names")
    args = p.parse_args(argv)
    wanted = [w.strip() for w in args.only.split(",") if w.strip()]
    variants = [v for v in VARIANTS if not wanted or any(w in v.name for w in wanted)]
    print(machine_line(), flush=True)
    configure_logging(level="warning")
    asyncio.run(measure(variants, args))
    return 0


if __name__ == "__main__":
    leave(main())
