"""Finding runs through Temporal visibility: the query scope every listing shares, and the rows of `list`.

The raw RPC, not ``client.list_workflows``: the SDK cannot parse a natively paused run's status.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from typing import Any

from temporalio.api.workflow.v1 import WorkflowExecutionInfo
from temporalio.api.workflowservice.v1 import ListWorkflowExecutionsRequest
from temporalio.common import SearchAttributeKey
from temporalio.converter import decode_typed_search_attributes
from temporalio.service import RPCError, RPCStatusCode

from orchestra import search_attributes as sa
from orchestra.cli import render
from orchestra.cli.context import Context, rpc_problem
from orchestra.cli.errors import EXIT_INVALID, CliError
from orchestra.cli.runs import KIND_OF, RUNS_QUERY, WORKFLOW_TYPES, Kind, status_name

SCHEDULED_BY = SearchAttributeKey.for_keyword("TemporalScheduledById")
HANDED_OVER = "ContinuedAsNew"  # visibility's name for a run that continued as new
CONTINUED = "CONTINUED_AS_NEW"  # status_name's
_ENDED_FROM_OUTSIDE = {CONTINUED: "continued", "TERMINATED": "terminated", "TIMED_OUT": "timed_out"}
_CLOSED_AS = {"COMPLETED": "completed", "FAILED": "error", "CANCELED": "cancelled"}
_FINAL_STATES = frozenset(_CLOSED_AS.values())
# A visibility query's words: a string (single or double quotes, a backslash escaping its next character; one
# left open runs to the end), a backquoted name, a bare name, or any other character.
_WORDS = re.compile(r"""'(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?|`([^`]*)`?|([A-Za-z_][A-Za-z0-9_]*)|.""", re.DOTALL)
# An ORDER BY as a listing may end with: attribute names, bare or backquoted, each maybe with its direction.
_ORDERED = r"(?:[A-Za-z_][A-Za-z0-9_]*|`[^`]+`)(?:\s+(?:ASC|DESC))?"
_ORDER = re.compile(rf"ORDER\s+BY\s+{_ORDERED}(?:\s*,\s*{_ORDERED})*", re.IGNORECASE)
# A quoted value or a backquoted name as it must end: closed by its own, unescaped quote.
_CLOSED = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`""", re.DOTALL)


def scope(kind: str | None, query: str | None) -> str:
    """Runs of one kind (default: every kind of run), ANDed with the user's own visibility query."""
    parts = [f"WorkflowType='{WORKFLOW_TYPES[Kind(kind)]}'" if kind else RUNS_QUERY]
    if query:
        checked(query)
        parts.append(f"({query})")
    return " AND ".join(parts)


def ordering(query: str | None) -> tuple[str | None, str]:
    """A user's query as its conditions and its ``ORDER BY`` clause (``""`` when it has none): the conditions
    are wrapped in parentheses and others added after them, so the order must come last (left inside the
    parentheses, it was a syntax error)."""
    depth, before = 0, None
    for m in _WORDS.finditer(query or ""):
        if m.group().isspace():
            continue
        depth += {"(": 1, ")": -1}.get(m.group(), 0)
        if depth == 0 and before is not None and _bare(before) == "order" and _bare(m) == "by":
            conditions, order = (query or "")[: before.start()].strip(), (query or "")[before.start() :].strip()
            if not _ORDER.fullmatch(order):  # what follows it is added to no parentheses: names alone
                raise CliError(f"bad visibility query {query!r}: {order!r} is not an ORDER BY of attribute "
                               "names, each with ASC or DESC if need be, at the query's end", EXIT_INVALID)  # fmt: skip
            return conditions or None, order
        before = m
    return query, ""


def _bare(word: re.Match[str]) -> str:
    return (word[2] or "").lower()


def checked(query: str) -> None:
    """Refuses a query that would not stay within its parentheses: ``a') OR ('b`` closed them early and listed
    every workflow of the namespace, any kind and task queue; a quote left open swallowed the conditions added
    after it (Temporal's error then quoted a query the user did not write). A control character other than
    a line's whitespace is refused too: a raw NUL got the server's bare "SQL logic error"."""
    control = next((n for n, c in enumerate(query) if unicodedata.category(c) == "Cc" and c not in "\t\n\r"), None)
    if control is not None:
        raise CliError(f"bad visibility query {query!r}: control character {query[control]!r} at character "
                       f"{control + 1}; a query is text (write a value's special characters as themselves)",
                       EXIT_INVALID)  # fmt: skip
    depth = 0
    for m in _WORDS.finditer(query):
        word = m.group()
        if word[0] in "'\"`" and not _CLOSED.fullmatch(word):
            raise CliError(f"bad visibility query {query!r}: the quote at character {m.start() + 1} is not closed",
                           EXIT_INVALID)  # fmt: skip
        if _bare(m) == "order" and re.match(r"\s*by\b", query[m.end() :], re.IGNORECASE):
            raise CliError(f"bad visibility query {query!r}: ORDER BY orders a listing: `list --query` takes it "
                           "at the end of its query, outside parentheses, and nowhere else",
                           EXIT_INVALID)  # fmt: skip
        depth += {"(": 1, ")": -1}.get(word, 0)
        if depth < 0:
            raise CliError(f"bad visibility query {query!r}: ')' at character {m.start() + 1} closes nothing",
                           EXIT_INVALID)  # fmt: skip
    if depth:
        raise CliError(f"bad visibility query {query!r}: {depth} '(' not closed", EXIT_INVALID)


def without_handed_over(query: str, user_query: str | None) -> str:
    """``query`` without the earlier runs of chains: each is over, its work carried on by the next run
    of its workflow id, listed in its place. A user's query with a condition on ExecutionStatus is left as
    asked (the word in a quoted value, or in a longer name, is no such condition)."""
    if user_query and names_status(user_query):
        return query
    return f"{query} AND ExecutionStatus != '{HANDED_OVER}'"


def names_status(query: str) -> bool:
    """Whether ``query`` names the ExecutionStatus attribute, bare or backquoted, outside its quoted values."""
    return any((m[1] or m[2]).lower() == "executionstatus" for m in _WORDS.finditer(query) if m[1] or m[2])


def bad_query(exc: RPCError, query: str, ctx: Context) -> CliError:
    if ordering(query)[1] and "not supported" in exc.message.lower():
        # The dev server's visibility store (SQLite) and other SQL stores list by start time only.
        return CliError(f"bad visibility query {query!r}: this Temporal server cannot order a listing "
                        f"({exc.message}); leave ORDER BY out: runs are listed latest first", EXIT_INVALID)  # fmt: skip
    if exc.status == RPCStatusCode.INVALID_ARGUMENT or "invalid" in exc.message.lower():
        return CliError(f"bad visibility query {query!r}: {exc.message}", EXIT_INVALID)
    return rpc_problem(exc, ctx.settings)


async def executions(ctx: Context, query: str, limit: int) -> list[WorkflowExecutionInfo]:
    client = await ctx.client()
    found: list[WorkflowExecutionInfo] = []
    token = b""
    while len(found) < limit:
        request = ListWorkflowExecutionsRequest(
            namespace=ctx.settings.namespace, query=query, page_size=min(limit, 1000), next_page_token=token
        )
        try:
            response = await client.workflow_service.list_workflow_executions(request)
        except RPCError as exc:
            raise bad_query(exc, query, ctx) from None
        found += response.executions[: limit - len(found)]
        token = response.next_page_token
        if not token:
            break
    return found


def row(info: WorkflowExecutionInfo, chain_started: datetime | None = None) -> dict[str, Any]:
    """A run as `list` shows it; the last run of a chain as the chain, from ``chain_started`` (its first run's start)."""
    attributes = decode_typed_search_attributes(info.search_attributes)
    run_started = info.start_time.ToDatetime(tzinfo=UTC) if info.HasField("start_time") else None
    closed = info.close_time.ToDatetime(tzinfo=UTC) if info.HasField("close_time") else None
    status = status_name(info.status)
    started = chain_started if chain_started and status != CONTINUED else run_started
    state = closed_state(status, attributes.get(sa.STATE))
    return {
        "workflow_id": info.execution.workflow_id,
        "run_id": info.execution.run_id,
        "kind": KIND_OF.get(info.type.name, Kind.OTHER).value,
        "status": status,
        "state": state,
        "plan": attributes.get(sa.PLAN),
        "started": render.when(started),
        "run_started": render.when(run_started),
        "closed": render.when(closed),
        "duration_ms": (closed - started).total_seconds() * 1000 if started and closed else None,
        "scheduled_by": attributes.get(SCHEDULED_BY),
        "task_queue": info.task_queue,
        "tool_calls": attributes.get(sa.TOOL_CALLS),
        "tokens": attributes.get(sa.TOKENS),
    }


def closed_state(status: str, state: str | None) -> str | None:
    """The state a closed run ended in: its state attribute says what the run last said of itself, and a run
    ended from outside (terminated, timed out, a chain's run handed over) never said more ('running')."""
    if status in _ENDED_FROM_OUTSIDE:
        return _ENDED_FROM_OUTSIDE[status]
    if status in _CLOSED_AS and state not in _FINAL_STATES:
        return _CLOSED_AS[status]
    return state


async def list_runs(ctx: Context, query: str, limit: int) -> list[dict[str, Any]]:
    from orchestra.cli.chain_starts import chain_starts

    found = await executions(ctx, query, limit)
    firsts = await chain_starts(ctx, found)
    return [row(info, firsts.get(info.execution.run_id)) for info in found]
