"""Tool-call coordination, pure: which calls of one reply run, in what order, how many at once.

The seed's ToolCallCoordinator as data. A Schedule is a list of stages run one after another; a stage
is a list of lanes run concurrently (at most ``limit`` lanes at once); a lane is a list of calls run in
order. The workflow walks the schedule; these functions decide it, and tests call them directly.

- sequential: one lane with every call;
- parallel: one lane per call, at most max_parallel at once (a sliding window, not chunks);
- batch: stages of batch_size calls, each stage waiting for the previous one (the seed's batches);
- smart: the seed's dependency analysis; dependent calls share a lane (in dependency order), and
  independent lanes run in parallel.

Identical calls (same tool, same arguments) in one reply run once, and the others reuse the result, only
when the call has no side effects: two identical appends are two appends.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from orchestra.agent.models import Strategy

# Argument names whose values name a resource; two calls on one resource where either writes are ordered.
RESOURCE_KEYS = ("path", "file", "filename", "url", "dest", "destination", "target")
# An HTTP method other than these changes something, whatever the tool's spec says of its other uses.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MIN_ID_CHARS = 4  # shorter call ids would match by accident
# How much of a call's arguments (as JSON) is looked through for the other calls' ids and tools: every call's
# for every other call's, in workflow code. Whole, 64 calls of 250 KB (a 16 MB reply) took 6 s of one
# workflow task, which Temporal's deadlock detector failed and retried for ever. A call that names another
# does so among its short values, not at the end of a file's content. None: whole (runs recorded before).
MENTION_CHARS = 4096


@dataclass(frozen=True)
class PlannedCall:
    call_id: str
    tool: str
    args: dict[str, Any]
    side_effects: bool = True  # unknown: assume it changes something (never merged, ordered on its resources)


def has_side_effects(spec_side_effects: bool, args: dict[str, Any]) -> bool:
    """Whether this call changes something: its tool says so, or it asks for an unsafe HTTP method."""
    method = args.get("method")
    return spec_side_effects or (isinstance(method, str) and method.upper() not in SAFE_METHODS)


@dataclass
class Stage:
    lanes: list[list[str]]
    limit: int


@dataclass
class Schedule:
    stages: list[Stage]
    duplicates: dict[str, str] = field(default_factory=dict)  # duplicate call id -> the call id that runs


def canonical(tool: str, args: dict[str, Any]) -> str:
    return tool + ":" + json.dumps(args, sort_keys=True, separators=(",", ":"), default=str)


def dedupe(calls: list[PlannedCall]) -> tuple[list[PlannedCall], dict[str, str]]:
    first: dict[str, str] = {}
    unique: list[PlannedCall] = []
    duplicates: dict[str, str] = {}
    for call in calls:
        if call.side_effects:
            unique.append(call)
        elif (key := canonical(call.tool, call.args)) in first:
            duplicates[call.call_id] = first[key]
        else:
            first[key] = call.call_id
            unique.append(call)
    return unique, duplicates


def find_dependencies(
    call: PlannedCall, calls: list[PlannedCall], mention_chars: int | None = MENTION_CHARS
) -> list[str]:
    """The seed's heuristic (arguments mentioning another call's id or tool name, within their first
    ``mention_chars``), plus an ordering of calls on the same resource when one of them may write it."""
    text = json.dumps(call.args, default=str)[:mention_chars].lower()
    index = {c.call_id: i for i, c in enumerate(calls)}
    deps: list[str] = []
    for other in calls:
        if other.call_id == call.call_id:
            continue
        names_id = len(other.call_id) >= MIN_ID_CHARS and other.call_id.lower() in text
        if names_id or other.tool.lower() in text or _conflict(other, call, index):
            deps.append(other.call_id)
    return deps


def _resources(call: PlannedCall) -> set[str]:
    return {str(call.args[k]) for k in RESOURCE_KEYS if isinstance(call.args.get(k), str | int | float)}


def _conflict(earlier: PlannedCall, later: PlannedCall, index: dict[str, int]) -> bool:
    if index[earlier.call_id] > index[later.call_id]:
        return False
    writes = earlier.side_effects or later.side_effects
    return writes and bool(_resources(earlier) & _resources(later))


def dependency_lanes(calls: list[PlannedCall], mention_chars: int | None = MENTION_CHARS) -> list[list[str]]:
    """Connected groups of dependent calls, each in an order that puts dependencies first (by position
    in the reply when the heuristic finds a cycle)."""
    deps = {c.call_id: find_dependencies(c, calls, mention_chars) for c in calls}
    neighbours: dict[str, set[str]] = {c.call_id: set() for c in calls}
    for cid, ds in deps.items():
        for d in ds:
            neighbours[cid].add(d)
            neighbours[d].add(cid)
    seen: set[str] = set()
    lanes: list[list[str]] = []
    for call in calls:
        if call.call_id in seen:
            continue
        group: set[str] = set()
        stack = [call.call_id]
        while stack:
            node = stack.pop()
            if node not in group:
                group.add(node)
                stack.extend(neighbours[node] - group)
        seen |= group
        members = [c.call_id for c in calls if c.call_id in group]
        lanes.append(_ordered(members, {m: [d for d in deps[m] if d in group] for m in members}))
    return lanes


def _ordered(members: list[str], deps: dict[str, list[str]]) -> list[str]:
    done: list[str] = []
    remaining = list(members)
    while remaining:
        ready = [m for m in remaining if all(d in done for d in deps[m])]
        pick = ready[0] if ready else remaining[0]  # a cycle: fall back to reply order
        done.append(pick)
        remaining.remove(pick)
    return done


def schedule(
    calls: list[PlannedCall],
    strategy: Strategy,
    max_parallel: int = 5,
    batch_size: int = 3,
    mention_chars: int | None = MENTION_CHARS,
) -> Schedule:
    unique, duplicates = dedupe(calls)
    ids = [c.call_id for c in unique]
    if not ids:
        return Schedule([], duplicates)
    if strategy == Strategy.SEQUENTIAL:
        stages = [Stage([ids], 1)]
    elif strategy == Strategy.PARALLEL:
        stages = [Stage([[i] for i in ids], max_parallel)]
    elif strategy == Strategy.BATCH:
        stages = [Stage([[i] for i in ids[n : n + batch_size]], batch_size) for n in range(0, len(ids), batch_size)]
    else:
        stages = [Stage(dependency_lanes(unique, mention_chars), max_parallel)]
    return Schedule(stages, duplicates)
