"""Readiness scheduling, as pure code: which steps may start now, and which can never run.

Semantics (the seed's step manager, with the usual DAG conventions for what it leaves open):
- a step is ready when every dependency COMPLETED, or ERRORED with skip_on_error;
- a dependency that was SKIPPED (condition false) skips its dependents, as GitHub Actions does;
- a dependency that failed without skip_on_error skips its dependents with a reason; independent
  branches go on, so one failure loses no unrelated work (fail_fast cancels everything instead);
- a CANCELLED dependency cancels its dependents.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Mapping, Sequence

from orchestra.record import FINISHED_STEP_STATES, StepState


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
        for node, ds in deps.items():
            if node in done:
                continue
            waiting = 0
            for d in ds:
                if d not in done:
                    self.dependents.setdefault(d, []).append(node)
                    waiting += 1
            self.waiting_on[node] = waiting
        self._ready: list[str] = [n for n, count in self.waiting_on.items() if count == 0]

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
