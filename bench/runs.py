"""Running one measured workflow, and reading what its record and history say about time."""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHandle
from temporalio.worker import Worker

import worker as worker_module
from bench.bare import BareChainWorkflow, BareFanoutWorkflow, noop
from orchestra.calls import RunRequest
from orchestra.plan import Plan
from orchestra.plan_chain import first_run_args
from orchestra.record import ExecutionRecord, StepState
from orchestra.registry import ToolRegistry, default_registry
from orchestra.settings import Settings


@dataclass
class Timing:
    makespan_s: float  # workflow clock: record.ended_at - record.started_at (or the bare workflow's own)
    wall_s: float  # client clock: start_workflow .. result
    wft_ms: float  # mean workflow task, started -> completed, from history timestamps
    wft_count: int
    record: ExecutionRecord | None = None


def make_worker(
    client: Client, task_queue: str, workspace: Path, registry: ToolRegistry | None = None, **overrides: Any
) -> Worker:
    """The project's worker (create_worker) plus the bench's bare workflows, with Worker options overridden.

    Overrides go through create_worker itself, so what is measured is its configuration with only the
    named options changed.
    """
    extra_workflows = overrides.pop("extra_workflows", [])
    settings = Settings(task_queue=task_queue, workspace=workspace, data_dir=workspace.parent)
    return worker_module.create_worker(
        client,
        settings,
        registry or default_registry(),
        extra_workflows=[BareChainWorkflow, BareFanoutWorkflow, *extra_workflows],
        extra_activities=[noop],
        **overrides,
    )


async def _wft_stats(handle: WorkflowHandle[Any, Any]) -> tuple[float, int]:
    started: dict[int, float] = {}
    spans: list[float] = []
    async for event in handle.fetch_history_events():
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
            started[event.event_id] = event.event_time.ToDatetime().timestamp()
        elif event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
            attrs = event.workflow_task_completed_event_attributes
            if attrs.started_event_id in started:
                spans.append(event.event_time.ToDatetime().timestamp() - started[attrs.started_event_id])
    return (statistics.fmean(spans) * 1000 if spans else 0.0), len(spans)


async def run_plan(client: Client, task_queue: str, plan: Plan, workflow_name: str | None = None) -> Timing:
    began = time.perf_counter()
    handle = await client.start_workflow(
        workflow_name or "OrchestrationWorkflow",
        args=first_run_args(RunRequest(plan=plan)),
        id=f"bench-{plan.name}-{uuid.uuid4().hex[:8]}",
        task_queue=task_queue,
        result_type=ExecutionRecord,
    )
    record: ExecutionRecord = await handle.result()
    wall = time.perf_counter() - began
    if not record.success or record.ended_at is None:
        raise RuntimeError(f"benchmark plan {plan.name} did not succeed: {record.error}")
    wft_ms, wft_count = await _wft_stats(handle)
    return Timing((record.ended_at - record.started_at).total_seconds(), wall, wft_ms, wft_count, record)


async def run_bare(client: Client, task_queue: str, workflow: Any, *args: Any) -> Timing:
    began = time.perf_counter()
    handle = await client.start_workflow(
        workflow, args=list(args), id=f"bench-bare-{uuid.uuid4().hex[:8]}", task_queue=task_queue, result_type=float
    )
    makespan: float = await handle.result()
    wall = time.perf_counter() - began
    wft_ms, wft_count = await _wft_stats(handle)
    return Timing(makespan, wall, wft_ms, wft_count)


def dispatch_lag_ms(record: ExecutionRecord) -> float:
    """Mean time from a step becoming ready (its last dependency ended; the run started, for roots) to its
    activity beginning on the worker."""
    ended = {s.node_id: s.ended_at for s in record.steps}
    lags = []
    for s in record.steps:
        if s.state != StepState.COMPLETED or s.started_at is None:
            continue
        dep_ends = [e for e in (ended[d] for d in s.depends_on) if e is not None]
        ready = max(dep_ends) if dep_ends else record.started_at
        lags.append((s.started_at - ready).total_seconds() * 1000)
    return statistics.fmean(lags) if lags else 0.0


@contextmanager
def timed() -> Iterator[Callable[[], float]]:
    began = time.perf_counter()
    yield lambda: time.perf_counter() - began
