"""The limits a plan would run into on the server, checked before it starts, each problem naming its limit.

Temporal refuses some things outright (an id over 1,000 characters) and ends a run that outgrows others
(51,200 history events, 50 MB of history). What goes wrong then goes wrong in the middle of a run, after
steps have had their effects; checking the plan against the same limits first turns it into an error at
start, with nothing started.
"""

from __future__ import annotations

import json
from typing import Any

from orchestra.errors import PlanValidationError
from orchestra.plan import Plan
from orchestra.settings import Settings
from orchestra.validation import PreparedPlan

MAX_ID_LENGTH = 1000  # limit.maxIDLength: workflow and activity ids
HISTORY_EVENTS = 51_200  # limit.historyCount.error: the server ends a run with more events
HISTORY_BYTES = 50 * 1024 * 1024  # limit.historySize.error
# Measured on the dev server: a chain of regular activities records ~6 events per step (scheduled,
# started, completed, and a workflow task of three), a wide plan ~3.7, local activities ~1 (a marker;
# 2 leaves a margin). A plan is judged by the worst case it can fall into.
EVENTS_PER_STEP = 6
EVENTS_PER_LOCAL_STEP = 2
EVENTS_PER_RUN = 50
REFERENCE_BYTES = 300  # what a stored value leaves in the history
STEP_OVERHEAD_BYTES = 1500  # a step's events without its arguments and output


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


def _size_problems(prepared: PreparedPlan, settings: Settings) -> list[str]:
    plan = prepared.plan
    largest, limit_name = settings.largest_value()
    problems: list[str] = []
    for what, value in (("the plan", plan), ("the validated plan", prepared)):
        size = len(value.model_dump_json())
        if size > largest:
            problems.append(f"{what} is {size:,} bytes as one value; {limit_name} is {largest:,} bytes")
    inline = settings.storage_threshold_bytes if settings.storage != "off" else largest
    history_bytes = 0
    for node in plan.nodes:
        size = _json_size(node.args)
        if size > largest:
            problems.append(f"node {node.id!r}: its arguments are {size:,} bytes; {limit_name} is {largest:,} bytes")
        history_bytes += STEP_OVERHEAD_BYTES + (size if size < inline else REFERENCE_BYTES)
    if history_bytes > HISTORY_BYTES:
        problems.append(
            f"the plan's steps would write about {history_bytes:,} bytes of arguments to the run's history; Temporal "
            f"ends a run at {HISTORY_BYTES:,} bytes (limit.historySize.error): lower ORCHESTRA_STORAGE_THRESHOLD_BYTES "
            "so large arguments are stored outside, or split the plan"
        )
    local = sum(1 for n in plan.nodes if prepared.execution[n.id].local and not n.alternatives)
    events = EVENTS_PER_RUN + EVENTS_PER_STEP * (len(plan.nodes) - local) + EVENTS_PER_LOCAL_STEP * local
    if events > HISTORY_EVENTS:
        problems.append(
            f"the plan has {len(plan.nodes):,} steps, about {events:,} history events; Temporal ends a run at "
            f"{HISTORY_EVENTS:,} events (limit.historyCount.error): split the plan"
        )
    return problems


def _json_size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), default=str))
