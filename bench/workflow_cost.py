"""What OrchestrationWorkflow computes per loop iteration, timed outside Temporal (pure Python).

    .venv/bin/python -m bench.workflow_cost [--widths 16,64] [--chain 50]

Each wake-up of the workflow's loop refreshes the run metrics and re-renders the UI details over
every step; each finished step rebuilds a {node: state} map in _settle and scans record.steps.
"""

from __future__ import annotations

import argparse
import timeit
from datetime import UTC, datetime

from bench.dags import chain, layered_dag
from bench.table import print_table
from orchestra.plan import Plan
from orchestra.record import ExecutionRecord, StepRecord, StepState
from orchestra.registry import default_registry
from orchestra.validation import prepare_plan
from workflows.progress import render_details


def half_done_record(plan: Plan) -> ExecutionRecord:
    prepared = prepare_plan(plan, default_registry())
    now = datetime.now(UTC)
    record = ExecutionRecord(id="bench", run_id="bench", plan_name=plan.name, started_at=now)
    record.steps = [
        StepRecord(node_id=n.id, tool=n.tool, phase=phase, depends_on=prepared.deps[n.id])
        for phase, ids in enumerate(prepared.phases)
        for n in (plan.node(i) for i in ids)
    ]
    for i, s in enumerate(record.steps):
        if i < len(record.steps) // 2:
            s.state, s.attempts, s.duration_ms, s.started_at, s.ended_at = StepState.COMPLETED, 1, 1000.0, now, now
            s.set_output({"slept_s": 1.0})
        elif i < len(record.steps) * 3 // 4:
            s.state = StepState.CALLING_TOOL
    record.refresh_metrics()
    return record


def per_call_ms(fn: object, number: int = 200) -> float:
    return timeit.timeit(fn, number=number) / number * 1000  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.workflow_cost")
    p.add_argument("--widths", default="16,64")
    p.add_argument("--chain", type=int, default=50)
    args = p.parse_args(argv)
    plans = [chain(args.chain)] + [layered_dag(int(w), 4, 1.0, 7).plan for w in args.widths.split(",")]
    rows = []
    for plan in plans:
        record = half_done_record(plan)
        last = record.steps[-1].node_id
        render = per_call_ms(lambda record=record: render_details(record))
        metrics = per_call_ms(lambda record=record: record.refresh_metrics())
        states = per_call_ms(lambda record=record: {s.node_id: s.state for s in record.steps})
        lookups = per_call_ms(lambda record=record, plan=plan, last=last: (record.step(last), plan.node(last)))
        per_wake = render + metrics
        per_step = states + 3 * lookups
        rows.append(
            [plan.name, len(plan.nodes), f"{render:.3f}", f"{metrics:.3f}", f"{states:.3f}", f"{lookups:.3f}",
             f"{per_wake + per_step:.3f}", f"{(per_wake + per_step) * len(plan.nodes):.0f}"]
        )  # fmt: skip
    print_table(
        "Workflow work per loop wake-up, outside the sandbox (ms; half the steps done)",
        ["plan", "steps", "render_details", "refresh_metrics", "_settle states map", "step+node lookup",
         "per finished step", "whole run (ms)"],
        rows,
    )  # fmt: skip


if __name__ == "__main__":
    main()
