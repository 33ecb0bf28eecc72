"""Readiness scheduling, as pure code: which steps may start now, and which can never run.

Semantics (the seed's step manager, with the usual DAG conventions for what it leaves open):
- a step is ready when every dependency COMPLETED, or ERRORED with skip_on_error;
- a dependency that was SKIPPED (condition false) skips its dependents, as GitHub Actions does;
- a dependency that failed without skip_on_error skips its dependents with a reason; independent
  branches go on, so one failure loses no unrelated work (fail_fast cancels everything instead);
- a CANCELLED dependency cancels its dependents.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from orchestra.record import FINISHED_STEP_STATES, StepState

if TYPE_CHECKING:
    from orchestra.plan import Plan


class Readiness:
    def __init__(
        self, deps: Mapping[str, Sequence[str]], skip_on_error: Mapping[str, bool], done: Collection[str] = ()
    ) -> None:
        """``done``: steps an earlier run of a continue-as-new chain finished. A step still to run waits
        only for its dependencies that are not done (those that are let it run, or it would have been
        decided already)."""
        self.deps = deps
        self.skip_on_error = skip_on_error
        self.done = done
        self.dependents: dict[str, list[str]] = {}
        self.waiting_on: dict[str, int] = {}
        self._ready: list[str] = []
        self.add(deps)

    def add(self, deps: Mapping[str, Sequence[str]]) -> None:
        """The steps of ``deps`` too, after those it has (in plan order). A plan's schedule read back in pieces
        (orchestra/schedule_pieces.py) is taken a piece at a time, each in the workflow activation that read it: built
        whole, the steps of a plan of 150,000 were walked in one activation (0.27 s of CPU idle, past a second loaded)."""
        done, dependents, waiting_on, ready = self.done, self.dependents, self.waiting_on, self._ready
        for node, ds in deps.items():
            if node in done:
                continue
            waiting = 0
            for d in ds:
                if d not in done:
                    dependents.setdefault(d, []).append(node)
                    waiting += 1
            waiting_on[node] = waiting
            if not waiting:
                ready.append(node)

    def take_ready(self, limit: int) -> list[str]:
        """Pop up to ``limit`` ready steps in plan order (the mapping's order)."""
        taken, self._ready = self._ready[:limit], self._ready[limit:]
        return taken

    def put_back(self, nodes: Sequence[str]) -> None:
        """``nodes``, taken and not started, are the first to be taken again."""
        self._ready[:0] = nodes

    def has_ready(self) -> bool:
        return bool(self._ready)

    def finished(self, node: str, state_of: Callable[[str], StepState]) -> list[tuple[str, StepState, str]]:
        """Record that ``node`` reached a final state; return the dependents that can now never run,
        as ``(node, state, reason)``, cascading. Newly ready dependents join the ready queue."""
        never: list[tuple[str, StepState, str]] = []
        queue = deque([node])
        decided: dict[str, StepState] = {}  # decided by this cascade, not yet in the caller's states
        while queue:
            parent = queue.popleft()
            verdict = self._verdict(parent, decided.get(parent) or state_of(parent))
            for child in self.dependents.get(parent, ()):
                if (decided.get(child) or state_of(child)) in FINISHED_STEP_STATES:
                    continue
                if verdict is None:
                    self.waiting_on[child] -= 1
                    if self.waiting_on[child] == 0:
                        self._ready.append(child)
                else:
                    state, reason = verdict
                    decided[child] = state
                    never.append((child, state, reason))
                    queue.append(child)
        return never

    def _verdict(self, node: str, state: StepState) -> tuple[StepState, str] | None:
        if state == StepState.COMPLETED or (state == StepState.ERROR and self.skip_on_error.get(node)):
            return None
        if state == StepState.SKIPPED:
            return StepState.SKIPPED, f"dependency {node!r} was skipped"
        if state == StepState.ERROR:
            return StepState.SKIPPED, f"dependency {node!r} failed"
        return StepState.CANCELLED, f"dependency {node!r} was cancelled"


class HeldSteps:
    """Ready steps waiting for a slot of their tool's concurrency limit (a plan's ``tool_concurrency``), in the
    order they became ready, and the batches to start from them.

    A batch is, in that order, the first steps whose tool has a free slot (a slot taken by the batch counts) up to
    ``room``. It was found by scanning every held and ready step on every wake-up, a plan 10,000 wide behind a
    limit of 2 scanned 10,000 steps to start 2: a queue per limited tool (one for the steps of other tools), and the
    heads of those with a free slot merged by when they became ready, give the same batches and leave the same
    order, at the cost of the batch."""

    def __init__(self, limits: Mapping[str, int], tool_of: Callable[[str], str]) -> None:
        self.limits, self.tool_of = limits, tool_of
        self._queues: dict[str | None, deque[tuple[int, str]]] = {}  # by limited tool; None: the others
        self._next = 0  # the order of the next step held
        self._count = 0
        self._taken: dict[str, tuple[int, str | None]] = {}  # the last batch's steps: their order and queue

    def __bool__(self) -> bool:
        return self._count > 0

    def hold(self, nodes: Sequence[str]) -> None:
        """``nodes``, just ready (or put back), wait after every step held before them."""
        for node in nodes:
            tool = self.tool_of(node)
            self._queues.setdefault(tool if tool in self.limits else None, deque()).append((self._next, node))
            self._next += 1
        self._count += len(nodes)

    def take(self, room: int, busy: dict[str, int]) -> list[str]:
        """Up to ``room`` steps to start, each within its tool's limit given ``busy`` (the steps running, by tool),
        which counts them too."""

        def free(key: str | None) -> bool:
            return key is None or busy.get(key, 0) < self.limits[key]

        self._taken.clear()
        heads = [(queue[0][0], key) for key, queue in self._queues.items() if queue and free(key)]
        heapq.heapify(heads)
        batch: list[str] = []
        while heads and len(batch) < room:
            _, key = heapq.heappop(heads)
            queue = self._queues[key]
            order, node = queue.popleft()
            batch.append(node)
            self._taken[node] = order, key
            if key is not None:
                busy[key] = busy.get(key, 0) + 1
            if queue and free(key):
                heapq.heappush(heads, (queue[0][0], key))
        self._count -= len(batch)
        return batch

    def put_back(self, nodes: Sequence[str]) -> None:
        """``nodes``, of the last batch taken and not started, take their places again: each at the head of its queue,
        in the order it became ready (hold() would put them behind every step held since)."""
        for node in reversed(nodes):
            order, key = self._taken.pop(node)
            self._queues[key].appendleft((order, node))
        self._count += len(nodes)


class SkipsOnError(Mapping[str, bool]):
    """Whether each step of ``plan`` goes on past its failure (skip_on_error), asked of its node when a step ends: a
    dict of them all was a walk of every step in the activation that started the run's driver."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan

    def __getitem__(self, node: str) -> bool:
        return self.plan.node(node).skip_on_error

    def __iter__(self) -> Iterator[str]:
        return (node.id for node in self.plan.nodes)

    def __len__(self) -> int:
        return len(self.plan.nodes)
