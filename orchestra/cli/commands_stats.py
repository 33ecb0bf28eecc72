"""`stats`: the seed's execution statistics, computed by Temporal visibility rather than kept in memory.

Counts come from CountWorkflowExecutions grouped by status (exact, however many runs); average
duration, tokens and tool calls from the search attributes of the latest ``--sample`` runs. Runs are
OrchestrationWorkflow executions (a task's plan runs as one, so nothing is counted twice).

Wiring (app.py): ``commands_stats.register(sub, parents=[common])``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from temporalio.api.workflowservice.v1 import CountWorkflowExecutionsRequest, ListWorkflowExecutionsRequest
from temporalio.converter import decode_typed_search_attributes
from temporalio.service import RPCError, RPCStatusCode

from orchestra import search_attributes as sa
from orchestra.cli.commands_schedule import parse_duration
from orchestra.cli.context import Context, rpc_problem
from orchestra.cli.errors import EXIT_INVALID, EXIT_OK, CliError
from orchestra.cli.observe import WORKFLOW_TYPE
from orchestra.cli.output import ms, table

# Visibility's names for ExecutionStatus values.
STATUSES = ("Running", "Paused", "Completed", "Failed", "Canceled", "Terminated", "TimedOut", "ContinuedAsNew")


@dataclass
class Stats:
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


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], parents: Sequence[argparse.ArgumentParser] = ()
) -> None:
    text = "run statistics from Temporal visibility: total, succeeded, failed, average duration, tokens, active"
    p = subparsers.add_parser("stats", parents=list(parents), help=text, description=text)
    p.add_argument("--query", help="extra visibility filter, e.g. \"OrchestraPlan='nightly'\" (ANDed)")
    p.add_argument("--since", metavar="DURATION", help="only runs started in the last DURATION (e.g. 24h, 7d)")
    p.add_argument("--sample", type=int, default=1000, metavar="N",
                   help="average duration, tokens and tool calls over the latest N runs (default 1000)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print the statistics as JSON")
    p.set_defaults(handler=cmd_stats)


def scope_query(args: argparse.Namespace, now: datetime | None = None) -> str:
    parts = [f"WorkflowType='{WORKFLOW_TYPE}'"]
    if getattr(args, "since", None):
        since = (now or datetime.now(UTC)) - parse_duration(args.since)
        parts.append(f"StartTime > '{since.strftime('%Y-%m-%dT%H:%M:%S.%fZ')}'")
    if getattr(args, "query", None):
        parts.append(f"({args.query})")
    return " AND ".join(parts)


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
            raise
    # A visibility store without GROUP BY: one count per status.
    counts = {}
    for status in STATUSES:
        response = await client.workflow_service.count_workflow_executions(
            CountWorkflowExecutionsRequest(namespace=namespace, query=f"{query} AND ExecutionStatus='{status}'")
        )
        if response.count:
            counts[status] = response.count
    return counts


async def collect(ctx: Context, query: str, sample: int) -> Stats:
    stats = Stats(query=query)
    try:
        stats.by_status = await _count_by_status(ctx, query)
        client = await ctx.client()
        durations: list[float] = []
        token = b""
        while stats.sampled < sample:
            response = await client.workflow_service.list_workflow_executions(
                ListWorkflowExecutionsRequest(
                    namespace=ctx.settings.namespace,
                    query=query,
                    page_size=min(sample - stats.sampled, 1000),
                    next_page_token=token,
                )
            )
            for info in response.executions[: sample - stats.sampled]:
                stats.sampled += 1
                attributes = decode_typed_search_attributes(info.search_attributes)
                stats.tokens += attributes.get(sa.TOKENS) or 0
                stats.tool_calls += attributes.get(sa.TOOL_CALLS) or 0
                if info.HasField("close_time") and info.HasField("start_time"):
                    closed, started = info.close_time.ToDatetime(), info.start_time.ToDatetime()
                    durations.append((closed - started).total_seconds() * 1000)
            token = response.next_page_token
            if not token:
                break
    except RPCError as exc:
        if exc.status == RPCStatusCode.INVALID_ARGUMENT:
            raise CliError(f"bad visibility query {query!r}: {exc.message}", EXIT_INVALID) from None
        raise rpc_problem(exc, ctx.settings) from None
    counts = stats.by_status
    stats.total = sum(counts.values())
    stats.succeeded = counts.get("Completed", 0)
    stats.failed = counts.get("Failed", 0)
    stats.cancelled = counts.get("Canceled", 0)
    stats.terminated = counts.get("Terminated", 0)
    stats.timed_out = counts.get("TimedOut", 0)
    stats.active = counts.get("Running", 0) + counts.get("Paused", 0)
    stats.average_duration_ms = sum(durations) / len(durations) if durations else None
    return stats


def render(stats: Stats) -> str:
    rate = f" ({stats.succeeded / stats.total:.0%})" if stats.total else ""
    rows = [
        ["total runs", str(stats.total)],
        ["succeeded", f"{stats.succeeded}{rate}"],
        ["failed", str(stats.failed + stats.timed_out)],
        ["cancelled / terminated", f"{stats.cancelled} / {stats.terminated}"],
        ["active (running or paused)", str(stats.active)],
        ["average duration (closed runs)", ms(stats.average_duration_ms) or "—"],
        ["tokens", str(stats.tokens)],
        ["tool calls", str(stats.tool_calls)],
    ]
    note = f"query: {stats.query}"
    if stats.sampled < stats.total:
        note += f"\nduration, tokens and tool calls over the latest {stats.sampled} runs (--sample)"
    return table(["statistic", "value"], rows) + "\n\n" + note


async def cmd_stats(ctx: Context) -> int:
    if ctx.args.sample < 1:
        raise CliError("--sample must be at least 1", EXIT_INVALID)
    stats = await collect(ctx, scope_query(ctx.args), ctx.args.sample)
    ctx.say(json.dumps(asdict(stats), indent=2) if ctx.args.json else render(stats))
    return EXIT_OK
