"""When each listed chain of runs began: its first run's start, not its last run's (a 12 min 30 s chain
listed as 1 minute). Visibility leaves a run's first run id blank, so the chain is found from its earlier
runs: each handed over (continued as new) at the moment the next began. One visibility query for every
BATCH plain workflow ids of the listed rows, not one request per row.

An id the dev server's SQLite cannot match as written (a backslash, a quote at its end) is found by its plain
start in a query of its own (with the plain ids, the runs its start matched filled the bound for all of
them), narrowed by what its listed runs say of the chain (kind, task queue, begun before): a start as short as
'plan-' alone matched every handed-over plan run of the namespace, read up to 100 pages of 1,000. What is read
is bounded, and a listing that stops there says so: the rows it could not time show their own run's start."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta

from temporalio.api.workflow.v1 import WorkflowExecutionInfo
from temporalio.api.workflowservice.v1 import ListWorkflowExecutionsRequest
from temporalio.service import RPCError

from orchestra.cli.context import Context
from orchestra.text import plural

BATCH = 100  # workflow ids in one query: well within the server's query length limits
# A run that continues as new closes as the next begins: the two times are one transaction's.
HANDOVER = timedelta(seconds=1)
HANDED_OVER = "ContinuedAsNew"
PAGE_SIZE = 1000
PAGES = 20  # a bound on one batch's earlier runs read: a chain of 20,000 runs, or a prefix that narrows badly
UNTIMED_NAMED = 5  # ids named in the note of those whose earlier runs were not all read


def started(info: WorkflowExecutionInfo) -> datetime | None:
    return info.start_time.ToDatetime(tzinfo=UTC) if info.HasField("start_time") else None


def closed(info: WorkflowExecutionInfo) -> datetime | None:
    return info.close_time.ToDatetime(tzinfo=UTC) if info.HasField("close_time") else None


async def chain_starts(ctx: Context, infos: Sequence[WorkflowExecutionInfo]) -> dict[str, datetime]:
    """The first run's start of each run in ``infos`` that continues a chain, by the run's id."""
    ids = sorted({i.execution.workflow_id for i in infos})
    earlier: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    untimed: list[str] = []
    for batch in _batches(ids):
        query = f"({ids_condition(batch, infos)}) AND ExecutionStatus = '{HANDED_OVER}'"
        handed_over, complete = await _handed_over(ctx, query)
        if not complete:
            untimed += sorted(batch)
        for info in handed_over:
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
    if untimed:
        shown = ", ".join(repr(i) for i in untimed[:UNTIMED_NAMED])
        more = f" and {len(untimed) - UNTIMED_NAMED:,} more" if len(untimed) > UNTIMED_NAMED else ""
        ctx.note(f"note: the earlier runs of {plural(len(untimed), 'listed workflow id')} were not all read "
                 f"({shown}{more}: more than {PAGES * PAGE_SIZE:,} handed-over runs matched, or visibility did "
                 "not answer): a chain among them may be shown from a later run's start")  # fmt: skip
    return found


def _batches(ids: Sequence[str]) -> list[set[str]]:
    """``ids`` as the sets queried together: the plain ones BATCH at a time, each other one alone. An id matched
    by its plain start (ids_condition) may match many runs of other ids, up to the PAGES bound: queried with
    others, it left every id of its batch untimed; alone, it costs only itself."""
    plain = [i for i in ids if _plain(i) == i]
    return [set(plain[at : at + BATCH]) for at in range(0, len(plain), BATCH)] + [{i} for i in ids if _plain(i) != i]


def ids_condition(ids: Collection[str], infos: Sequence[WorkflowExecutionInfo] = ()) -> str:
    """A visibility condition every one of ``ids`` meets, whatever characters it holds, on every store.

    An id of plain characters is matched by ``=`` (IN). One holding a backslash, a double quote, a control
    character or a quote at its end is found by no escaping on the dev server's SQLite store, while MySQL's
    and Elasticsearch's read the escapes: it is matched by ``STARTS_WITH`` its plain start instead, which
    every store reads alike, narrowed by what ``infos``, the id's listed runs, say of its chain (_prefixed),
    and the caller keeps only the ids it asked for. An id with no plain start (its first character one of
    those) is found by that narrowing alone: left out, its row showed a later run's start, unsaid."""
    exact = [i for i in ids if _plain(i) == i]
    prefixed = sorted({_prefixed(i, infos) for i in ids if i not in exact})
    parts = [f"WorkflowId IN ({', '.join(map(quoted_value, exact))})"] if exact else []
    return " OR ".join(parts + prefixed) or "WorkflowId = ''"


def _prefixed(workflow_id: str, infos: Sequence[WorkflowExecutionInfo]) -> str:
    """The earlier runs of ``workflow_id``'s chain among those of its plain start: of its listed runs' type and
    task queue (a chain keeps both), begun before the last of them (each handed over as the next began)."""
    runs = [i for i in infos if i.execution.workflow_id == workflow_id]
    start = _plain(workflow_id)
    parts = [f"WorkflowId STARTS_WITH {quoted_value(start)}"] if start else []
    for name, values in (("WorkflowType", {i.type.name for i in runs}), ("TaskQueue", {i.task_queue for i in runs})):
        if len(values) == 1 and _plain(value := values.pop()) == value:  # else unmatchable as written: left out
            parts.append(f"{name} = {quoted_value(value)}")
    starts = [s for s in map(started, runs) if s is not None]
    if starts:
        parts.append(f"StartTime < '{max(starts).isoformat().replace('+00:00', 'Z')}'")
    if not parts:  # nothing of it to match by (no listed run of it given): every handed-over run, bounded
        return "WorkflowId != ''"
    return f"({' AND '.join(parts)})" if len(parts) > 1 else parts[0]


def _plain(value: str) -> str:
    """``value`` up to its first character a store may read otherwise than written (see ids_condition)."""
    end = next((n for n, c in enumerate(value) if c in '\\"' or not c.isprintable()), len(value))
    return value[:end].rstrip("'")


def quoted_value(value: str) -> str:
    r"""``value`` as a visibility query's string, escaped as the server's parser reads one (MySQL's rules:
    ``\\`` a backslash, ``''`` a quote): an id with a quote is matched as itself and cannot end the string
    early and add conditions of its own."""
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


async def _handed_over(ctx: Context, query: str) -> tuple[list[WorkflowExecutionInfo], bool]:
    """The runs ``query`` finds, up to PAGES pages, and whether that is all of them."""
    client = await ctx.client()
    found: list[WorkflowExecutionInfo] = []
    token = b""
    for _ in range(PAGES):
        request = ListWorkflowExecutionsRequest(
            namespace=ctx.settings.namespace, query=query, page_size=PAGE_SIZE, next_page_token=token
        )
        try:
            response = await client.workflow_service.list_workflow_executions(request)
        except RPCError:
            return found, False  # a visibility store that cannot answer this: the rows keep their runs' starts
        found += response.executions
        token = response.next_page_token
        if not token:
            return found, True
    return found, False
