"""When each listed chain of runs began: its first run's start, not its last run's (a 12 min 30 s chain
listed as 1 minute). Visibility leaves a run's first run id blank, so the chain is found from its earlier
runs: each handed over (continued as new) at the moment the next began. One visibility query for every
BATCH workflow ids of the listed rows, not one request per row."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta

from temporalio.api.workflow.v1 import WorkflowExecutionInfo
from temporalio.api.workflowservice.v1 import ListWorkflowExecutionsRequest
from temporalio.service import RPCError

from orchestra.cli.context import Context

BATCH = 100  # workflow ids in one query: well within the server's query length limits
# A run that continues as new closes as the next begins: the two times are one transaction's.
HANDOVER = timedelta(seconds=1)
HANDED_OVER = "ContinuedAsNew"
_PAGES = 100  # a bound on one batch's earlier runs read (100 pages of 1,000)


def started(info: WorkflowExecutionInfo) -> datetime | None:
    return info.start_time.ToDatetime(tzinfo=UTC) if info.HasField("start_time") else None


def closed(info: WorkflowExecutionInfo) -> datetime | None:
    return info.close_time.ToDatetime(tzinfo=UTC) if info.HasField("close_time") else None


async def chain_starts(ctx: Context, infos: Sequence[WorkflowExecutionInfo]) -> dict[str, datetime]:
    """The first run's start of each run in ``infos`` that continues a chain, by the run's id."""
    ids = sorted({i.execution.workflow_id for i in infos})
    earlier: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for at in range(0, len(ids), BATCH):
        batch = set(ids[at : at + BATCH])
        for info in await _handed_over(ctx, f"({ids_condition(batch)}) AND ExecutionStatus = '{HANDED_OVER}'"):
            if info.execution.workflow_id not in batch:
                continue  # another id of the same prefix (ids_condition)
            start, end = started(info), closed(info)
            if start and end:
                earlier[info.execution.workflow_id].append((start, end))
    found: dict[str, datetime] = {}
    for info in infos:
        first = start = started(info)
        runs = earlier.get(info.execution.workflow_id, [])
        while first is not None:  # back along the chain: the run that handed over as this one began
            before = [s for s, end in runs if abs(end - first) <= HANDOVER and s < first]
            if not before:
                break
            first = max(before)
        if first is not None and first != start:
            found[info.execution.run_id] = first
    return found


def ids_condition(ids: Collection[str]) -> str:
    """A visibility condition every one of ``ids`` meets, whatever characters it holds, on every store.

    An id of plain characters is matched by ``=`` (IN). One holding a backslash, a double quote, a control
    character or a quote at its end is found by no escaping on the dev server's SQLite store, while MySQL's
    and Elasticsearch's read the escapes: it is matched by ``STARTS_WITH`` its plain start instead, which
    every store reads alike, and the caller keeps only the ids it asked for. An id with no plain start is
    left out (its row keeps its own run's start)."""
    exact = [i for i in ids if _plain(i) == i]
    prefixes = sorted({_plain(i) for i in ids if i not in exact} - {""})
    parts = [f"WorkflowId IN ({', '.join(map(quoted_value, exact))})"] if exact else []
    parts += [f"WorkflowId STARTS_WITH {quoted_value(prefix)}" for prefix in prefixes]
    return " OR ".join(parts) or "WorkflowId = ''"


def _plain(value: str) -> str:
    """``value`` up to its first character a store may read otherwise than written (see ids_condition)."""
    end = next((n for n, c in enumerate(value) if c in '\\"' or not c.isprintable()), len(value))
    return value[:end].rstrip("'")


def quoted_value(value: str) -> str:
    r"""``value`` as a visibility query's string, escaped as the server's parser reads one (MySQL's rules:
    ``\\`` a backslash, ``''`` a quote): an id with a quote is matched as itself and cannot end the string
    early and add conditions of its own."""
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


async def _handed_over(ctx: Context, query: str) -> list[WorkflowExecutionInfo]:
    client = await ctx.client()
    found: list[WorkflowExecutionInfo] = []
    token = b""
    for _ in range(_PAGES):
        request = ListWorkflowExecutionsRequest(
            namespace=ctx.settings.namespace, query=query, page_size=1000, next_page_token=token
        )
        try:
            response = await client.workflow_service.list_workflow_executions(request)
        except RPCError:
            return found  # a visibility store that cannot answer this: the rows keep their runs' starts
        found += response.executions
        token = response.next_page_token
        if not token:
            break
    return found
