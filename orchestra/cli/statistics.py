"""The seed's execution statistics, computed by Temporal visibility rather than kept in memory, for
each kind of run (plan runs, task runs, agent runs).

Counts come from CountWorkflowExecutions grouped by status (exact, however many runs); average
duration, tokens and tool calls from the search attributes of the latest ``--sample`` runs of each
kind. A task run starts a plan run: both are counted, each under its own kind.

A chain of runs (a plan run that continued as new) is one run: counted by its latest run, whose search
attributes count every step of the chain, and timed from its first run's start. Its earlier runs
(ContinuedAsNew) were counted as runs of their own, their tool calls and tokens, the chain's totals so
far, added again and again (a 12,000-step chain of 6 runs counted 6 runs and some 36,000 tool calls).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp
from rich.table import Table
from temporalio.api.workflow.v1 import WorkflowExecutionInfo
from temporalio.api.workflowservice.v1 import CountWorkflowExecutionsRequest
from temporalio.service import RPCError, RPCStatusCode

from orchestra.cli import render
from orchestra.cli.context import Context
from orchestra.cli.durations import parse_duration
from orchestra.cli.listing import HANDED_OVER, bad_query, checked, executions, row, scope
from orchestra.text import duration

# Visibility's names for ExecutionStatus values.
STATUSES = ("Running", "Paused", "Completed", "Failed", "Canceled", "Terminated", "TimedOut", HANDED_OVER)
KINDS = ("plan", "task", "agent")


@dataclass
class Stats:
    kind: str
    query: str
    total: int = 0
    succeeded: int = 0
    failed: int = 0
    cancelled: int = 0
    terminated: int = 0
    timed_out: int = 0
    active: int = 0
    average_duration_ms: float | None = None
    tokens: int = 0
    tool_calls: int = 0
    sampled: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def kind_query(kind: str, since: str | None, query: str | None, now: datetime | None = None) -> str:
    extra = []
    if since:
        start = (now or datetime.now(UTC)) - parse_duration(since)
        extra.append(f"StartTime > '{start.strftime('%Y-%m-%dT%H:%M:%S.%fZ')}'")
    if query:
        checked(query)  # as the user wrote it: its errors say where, in what the user wrote
        extra.append(f"({query})")
    return scope(kind, " AND ".join(extra) or None)


async def _count_by_status(ctx: Context, query: str) -> dict[str, int]:
    client = await ctx.client()
    namespace = ctx.settings.namespace
    try:
        grouped = await client.workflow_service.count_workflow_executions(
            CountWorkflowExecutionsRequest(namespace=namespace, query=f"{query} GROUP BY ExecutionStatus")
        )
        counts: dict[str, int] = {}
        for group in grouped.groups:
            name = json.loads(group.group_values[0].data) if group.group_values else "unknown"
            counts[str(name)] = counts.get(str(name), 0) + group.count
        return counts
    except RPCError as exc:
        if exc.status != RPCStatusCode.INVALID_ARGUMENT or "group" not in exc.message.lower():
            raise bad_query(exc, query, ctx) from None
    # A visibility store without GROUP BY: one count per status.
    counts = {}
    for status in STATUSES:
        response = await client.workflow_service.count_workflow_executions(
            CountWorkflowExecutionsRequest(namespace=namespace, query=f"{query} AND ExecutionStatus='{status}'")
        )
        if response.count:
            counts[status] = response.count
    return counts


async def collect(ctx: Context, kind: str, query: str, sample: int) -> Stats:
    stats = Stats(kind=kind, query=query)
    stats.by_status = counts = await _count_by_status(ctx, query)
    durations = []
    latest = await executions(ctx, f"{query} AND ExecutionStatus != '{HANDED_OVER}'", sample)
    chain_ran = await _chains_before(ctx, query, latest, sample)
    for info in latest:
        found = row(info)
        stats.sampled += 1
        stats.tokens += found["tokens"] or 0
        stats.tool_calls += found["tool_calls"] or 0
        if found["duration_ms"] is not None:
            durations.append(found["duration_ms"] + chain_ran.get(_link(info, info.start_time), 0.0))
    stats.total = sum(n for status, n in counts.items() if status != HANDED_OVER)
    stats.succeeded = counts.get("Completed", 0)
    stats.failed = counts.get("Failed", 0)
    stats.cancelled = counts.get("Canceled", 0)
    stats.terminated = counts.get("Terminated", 0)
    stats.timed_out = counts.get("TimedOut", 0)
    stats.active = counts.get("Running", 0) + counts.get("Paused", 0)
    stats.average_duration_ms = sum(durations) / len(durations) if durations else None
    return stats


def _link(info: WorkflowExecutionInfo, at: Timestamp) -> tuple[str, int]:
    return info.execution.workflow_id, at.ToNanoseconds()


async def _chains_before(
    ctx: Context, query: str, latest: list[WorkflowExecutionInfo], sample: int
) -> dict[tuple[str, int], float]:
    """For each closed run of ``latest`` that continues a chain (keyed by ``_link`` at its start), the
    milliseconds its earlier runs took: each earlier run closed at the instant the next one started."""
    closed = [info for info in latest if info.HasField("close_time") and info.close_time.ToNanoseconds()]
    if not closed:
        return {}
    # Newest first, as visibility lists: the chains of the latest runs come first (at most 10 runs a chain
    # on average are read: a longer chain is timed from the earlier runs found).
    earlier = await executions(ctx, f"{query} AND ExecutionStatus = '{HANDED_OVER}'", 10 * sample)
    handed = {_link(info, info.close_time): info for info in earlier}
    ran: dict[tuple[str, int], float] = {}
    for info in closed:
        total, link = 0.0, handed.get(_link(info, info.start_time))
        while link is not None:
            total += (link.close_time.ToNanoseconds() - link.start_time.ToNanoseconds()) / 1e6
            link = handed.get(_link(link, link.start_time))
        if total:
            ran[_link(info, info.start_time)] = total
    return ran


def table(all_stats: list[Stats]) -> Table:
    def rate(s: Stats) -> str:
        return f" ({s.succeeded / s.total:.0%})" if s.total else ""

    lines: list[tuple[str, Callable[[Stats], str]]] = [
        ("total runs", lambda s: str(s.total)),
        ("succeeded", lambda s: f"{s.succeeded}{rate(s)}"),
        ("failed", lambda s: str(s.failed + s.timed_out)),
        ("cancelled / terminated", lambda s: f"{s.cancelled} / {s.terminated}"),
        ("active (running or paused)", lambda s: str(s.active)),
        ("average duration (closed runs)", lambda s: duration(s.average_duration_ms) or "—"),
        ("tokens", lambda s: str(s.tokens)),
        ("tool calls", lambda s: str(s.tool_calls)),
    ]
    headers = ["statistic", *(f"{s.kind} runs" for s in all_stats)]
    return render.table(headers, [[name, *(value(s) for s in all_stats)] for name, value in lines])
