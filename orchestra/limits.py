"""The limits a plan would run into on the server, checked before it starts, each problem naming its limit.

Temporal refuses some things outright (an id over 1,000 characters, a payload over 2 MiB) and ends a run
that outgrows others (51,200 history events, 50 MB of history). What goes wrong then goes wrong in the
middle of a run, after steps have had their effects; checking the plan against the same limits first
turns it into an error at start, with nothing started.

A plan's length is not one of them: a plan run continues as new when the server suggests it, or at the
latest at EVENTS_PER_RUN events or BYTES_PER_RUN bytes of history, and each run stores the steps it
finished (workflows/orchestration.py). What stays is that single values must fit: the plan, one node's
arguments, the validated schedule, and — when nothing is stored outside the history
(ORCHESTRA_STORAGE=off) — the record, which then travels whole.
"""

from __future__ import annotations

from pydantic import BaseModel

from orchestra.calls import RunRequest, ToolCall
from orchestra.errors import PlanValidationError
from orchestra.payload_bytes import ENVELOPE_BYTES, payload_data
from orchestra.plan import Plan
from orchestra.record import PREVIEW_BUDGET_BYTES
from orchestra.settings import Settings
from orchestra.temporal_bounds import MAX_ID_LENGTH
from orchestra.validation import PreparedPlan

HISTORY_EVENTS = 51_200  # limit.historyCount.error: the server ends a run with more events
HISTORY_BYTES = 50 * 1024 * 1024  # limit.historySize.error
# A plan run hands over to the next run of its chain when the server suggests it (4,096 events or 4 MB
# by default), and in any case at EVENTS_PER_RUN (temporal_bounds) or here, so that the steps still
# running when it decides (at most max_parallel of them) finish well within the limits above.
BYTES_PER_RUN = 20 * 1024 * 1024
# A finished step in the record, without its output preview and ids (measured: ~420 bytes for a no-op).
RECORD_BYTES_PER_STEP = 500


def check_limits(prepared: PreparedPlan, settings: Settings) -> None:
    """Raise PlanValidationError listing every limit the run of ``prepared`` would pass."""
    plan = prepared.plan
    # No limit on the name: the run indexes it cut to what a search attribute holds (search_attributes.keyword).
    problems = id_problems(plan)
    problems += _size_problems(prepared, settings)
    if problems:
        raise PlanValidationError(problems)


def id_problems(plan: Plan) -> list[str]:
    """Activity ids the server would refuse; the worker checks them too (a refused command would fail
    the workflow task, and Temporal retries that for ever)."""
    problems = []
    for node in plan.nodes:
        ids = [node.id, *(f"{node.id}.{a.tool}" for a in node.alternatives)]
        if node.compensation:
            ids.append(f"{node.id}.compensate")
        longest = max(ids, key=len)
        if len(longest) > MAX_ID_LENGTH:
            problems.append(
                f"node {node.id[:40]!r}...: its activity id {longest[:40]!r}... is {len(longest):,} characters; "
                f"Temporal accepts at most {MAX_ID_LENGTH:,} (limit.maxIDLength)"
            )
    return problems


def preview_budget(settings: Settings) -> int:
    """Bytes the output previews of one record may take together: a quarter of the largest value when the
    record travels whole (ORCHESTRA_STORAGE=off), else PREVIEW_BUDGET_BYTES."""
    largest, _ = settings.largest_value()
    return min(PREVIEW_BUDGET_BYTES, largest // 4)


def _size_problems(prepared: PreparedPlan, settings: Settings) -> list[str]:
    """Each value of the run over the largest one stored, measured as it is sent, with room for the envelope the
    store counts around it (ENVELOPE_BYTES): a plan within that of the limit passed here and its start then failed
    on the store's own StoredPayloadTooLarge, which names no part of the plan."""
    plan = prepared.plan
    largest, limit_name = settings.largest_value()
    room = largest - ENVELOPE_BYTES
    problems: list[str] = []
    # The plan goes as the run's request (RunRequest), the validated plan as the result of the worker's check.
    for what, value in (("the plan", RunRequest(plan=plan)), ("the validated plan", prepared.schedule())):
        size = payload_size(value)
        if size > room:
            problems.append(f"{what} is {size:,} bytes as one value{_with_envelope(largest, limit_name)}")
    for node in plan.nodes:
        size = len(payload_data(node.args))
        # A step's call is its arguments with the node's id and tool, sent as one value (workflows/tool_calls.py).
        call = size + payload_size(ToolCall(tool=node.tool, args={}, node_id=node.id)) - len(b"{}")
        if call > room:
            problems.append(
                f"node {node.id!r}: its arguments are {size:,} bytes, its call {call:,} bytes with them"
                f"{_with_envelope(largest, limit_name)}"
            )
    if settings.storage == "off":
        record = _record_bytes(prepared) + preview_budget(settings)
        if record > largest:
            problems.append(
                f"the plan has {len(plan.nodes):,} steps: its record would be about {record:,} bytes, and with "
                f"ORCHESTRA_STORAGE=off it travels as one value; {limit_name} is {largest:,} bytes: store large "
                "values outside the history (ORCHESTRA_STORAGE=folder or s3), or split the plan"
            )
    return problems


def _with_envelope(largest: int, limit_name: str) -> str:
    return (
        f"; {limit_name} is {largest:,} bytes, and the store counts up to {ENVELOPE_BYTES:,} bytes of it for what it "
        "wraps a value in (metadata, the codec's)"
    )


def _record_bytes(prepared: PreparedPlan) -> int:
    """The record's size without its output previews: fixed fields, node ids, tools and dependencies."""
    return sum(
        RECORD_BYTES_PER_STEP + len(node.id) + len(node.tool) + sum(len(d) + 3 for d in prepared.deps[node.id])
        for node in prepared.plan.nodes
    )


def payload_size(value: BaseModel) -> int:
    """The bytes the payload converter writes for ``value``: UTF-8, and without the defaults of the models
    that leave them out (a plan's nodes: 4.6 times smaller), so a check refuses what the server would.
    Measured without building the converter (orchestra.payload_bytes): a command that checks a plan
    imports no Temporal."""
    return len(payload_data(value))
