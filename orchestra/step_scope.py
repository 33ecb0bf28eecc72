"""What the references and conditions of steps still to run may read: the plan's ``inputs`` and, for each
finished step some later step (or a compensation) reads, its state, attempts, error and output.

An entry goes once the last step reading it has finished, so a long plan holds only the outputs still
needed rather than every output it produced; a continue-as-new hands exactly these entries on. An output
stored outside the history stays a ``StoredValue`` here: the workflow never reads it back for a
reference (run_tool does, workflows/tool_calls.py), only for a condition that needs it.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from typing import Any

from orchestra.record import StepRecord
from orchestra.references import INPUTS, iter_references
from orchestra.storage.stored import StoredValue
from orchestra.validation import PlanSchedule

_UNSET: Any = object()


class StepScope:
    def __init__(
        self,
        inputs: Mapping[str, Any],
        schedule: PlanSchedule,
        finished: Container[str],
        compensating: bool,
        carried: Mapping[str, Any] = {},
        stored: Mapping[str, StoredValue] = {},
    ) -> None:
        self.values: dict[str, Any] = {INPUTS: inputs, **{node: dict(entry) for node, entry in carried.items()}}
        for node, ref in stored.items():
            self.values.setdefault(node, {})["output"] = ref
        self.reads = schedule.reads or {}
        self.readers: dict[str, int] = {}  # how many steps not finished read each step
        for node, reads in self.reads.items():
            if node not in finished:
                for read in reads:
                    self.readers[read] = self.readers.get(read, 0) + 1
        # A compensation runs after every step has ended and may read any step it names.
        self.pinned: set[str] = (
            {read for reads in schedule.compensation_reads.values() for read in reads} if compensating else set()
        )

    def wanted(self, node_id: str) -> bool:
        return self.readers.get(node_id, 0) > 0 or node_id in self.pinned

    def remember(self, step: StepRecord, output: Any = _UNSET) -> None:
        """What a later step may read about ``step`` (now final); kept only if some step will read it."""
        if not self.wanted(step.node_id):
            return
        entry = self.values.setdefault(step.node_id, {"output": None})
        if output is not _UNSET:
            entry["output"] = output
        entry.update(state=step.state.value, attempts=step.attempts)
        entry["error"] = step.error.model_dump(mode="json") if step.error else None

    def release(self, node_id: str) -> None:
        """``node_id`` has finished: what only it still read can go."""
        for read in self.reads.get(node_id, ()):
            left = self.readers.get(read, 0) - 1
            if left > 0:
                self.readers[read] = left
                continue
            self.readers.pop(read, None)
            if read not in self.pinned:
                self.values.pop(read, None)

    def stored_for(self, roots: Iterable[str]) -> dict[str, StoredValue]:
        """The stored outputs among those of ``roots`` (the nodes a reference or condition reads)."""
        return {
            root: entry["output"]
            for root in roots
            if isinstance(entry := self.values.get(root), dict) and isinstance(entry.get("output"), StoredValue)
        }

    def subset(self, roots: Iterable[str]) -> dict[str, Any]:
        return {root: self.values[root] for root in roots if root in self.values}

    def carried(self) -> tuple[dict[str, Any], dict[str, StoredValue]]:
        """The entries to hand to the next run: inline values, and stored outputs by reference."""
        inline: dict[str, Any] = {}
        stored: dict[str, StoredValue] = {}
        for node, entry in self.values.items():
            if node == INPUTS:
                continue  # the plan carries them
            output = entry.get("output")
            if isinstance(output, StoredValue):
                stored[node] = output
                entry = {**entry, "output": None}
            inline[node] = entry
        return inline, stored


def roots_of(args: Any) -> set[str]:
    """The nodes (and ``inputs``) the references in ``args`` read."""
    return {root for root, _ in iter_references(args)}
