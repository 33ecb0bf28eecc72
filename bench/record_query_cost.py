"""What the worker does to answer the record query of a plan run of N steps, none reached yet, in this process
(no server): the record listed and serialised as the converter does, the best of 3 (later asks reuse what the first
measured and made).

    .venv/bin/python -m bench.record_query_cost [--steps 5000,20000,150000]
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime

from bench.server import leave, machine_line
from bench.status_cost import plan
from orchestra.plan_steps import PlanSteps
from orchestra.record import QUERY_BYTES, QUERY_STEPS, ExecutionRecord
from orchestra.validation import PlanSchedule

STORAGE_LIMIT = 50 * 2**20  # the folder store's largest value: what bounded the answer before


def measure(steps: int) -> str:
    p = plan(steps, 64, 600)
    phases = [[node.id for node in p.nodes[:-1]], ["last"]]
    schedule = PlanSchedule.model_construct(phases=phases, deps={node.id: list(node.depends_on) for node in p.nodes})
    record = ExecutionRecord(id="w", run_id="r", plan_name=p.name, started_at=datetime.now(UTC))
    run = PlanSteps(record, p, schedule)
    best, size, listed = float("inf"), 0, 0
    for _ in range(3):
        began = time.perf_counter()
        answer = record.listed_within(
            run.listing(), run.share, STORAGE_LIMIT * 9 // 10, most=QUERY_STEPS, sizes=run.sizes,
            noted=run.noted([]), listing_bytes=QUERY_BYTES,
        )  # fmt: skip
        size = len(answer.model_dump_json())
        best, listed = min(best, time.perf_counter() - began), len(answer.steps)
    return f"{steps:,} steps: record query {best:.3f} s, {listed:,} steps listed, {size:,} bytes"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.record_query_cost")
    parser.add_argument("--steps", default="5000,20000,150000", help="comma-separated step counts")
    args = parser.parse_args(argv)
    print(machine_line().split(";")[0] + "; no server (the query's work in this process)", flush=True)
    for n in args.steps.split(","):
        print(measure(int(n)), flush=True)
    return 0


if __name__ == "__main__":
    leave(main())
