"""The steps of one run of a plan as OrchestrationWorkflow keeps them, at a cost per change that does not
grow with the plan.

A step has a StepRecord only once this run has touched it (started, skipped, cancelled...); the others are
pending and listed from the schedule when the record is read (a query, the result). Every change goes
through ``changing``, which keeps the record's metrics current, so "how far is the run" and "is every
step finished" are counters, not scans; the Web UI's rows come from the running steps and the latest
failed and finished ones. At a continue-as-new the finished steps leave this run as one chunk
(``hand_over``); runs before the patch compensation-covers-earlier-runs kept those a compensation may
still undo listed (``keep``).
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from itertools import accumulate

from orchestra.plan import Plan
from orchestra.record import FINISHED_STEP_STATES, NOTED_STEPS, ExecutionRecord, StepRecord, StepSizes, StepState
from orchestra.validation import PlanSchedule

RECENT_ROWS = 40


class DoneBefore:
    """The steps earlier runs of a chain finished (``done``), and those of them its chunks hold (``chunked``), gathered
    a share of the chunks at a time (``gather``), one share in each activation that reads a piece of the plan: a
    continued run late in a chain of 150,000 steps walked them all in one activation (and twice more in the one that
    made its driver), as the driver's other maps are no longer built (schedule_pieces.ScheduleJoiner)."""

    def __init__(self, record: ExecutionRecord, kept: Iterable[StepRecord]) -> None:
        self._chunks = iter(record.earlier)
        self._left = len(record.earlier)
        self.chunked: set[str] = set()
        self._kept = {step.node_id for step in kept}

    def gather(self, shares_left: int) -> None:
        """Gather this share of the chunks not gathered yet, ``shares_left`` shares (this one among them) to go."""
        take = -(-self._left // max(shares_left, 1))
        for chunk in itertools.islice(self._chunks, take):
            self.chunked.update(chunk.nodes)
        self._left -= take

    @property
    def done(self) -> set[str]:
        """Every step done before, the chunks not gathered yet gathered now. The set ``chunked`` is, where the record
        kept none listed (runs since compensation-covers-earlier-runs): not copied."""
        self.gather(1)
        return self.chunked | self._kept if self._kept else self.chunked


class PhaseOrder(Mapping[str, int]):
    """Each step's place in phase order (the schedule's phases one after another), from its phase and its place in it:
    ``ranked``, built a piece at a time as the schedule was read (ScheduleJoiner), else here when first asked. Listed
    and numbered whole when the run's driver was made, 150,000 steps took some 60 ms of CPU of that activation."""

    def __init__(self, phases: list[list[str]], ranked: dict[str, tuple[int, int]] | None = None) -> None:
        self.phases = phases
        self.starts = list(accumulate((len(ids) for ids in phases), initial=0))
        self._ranked = ranked

    def phase(self, node: str) -> int:
        return self._ranks()[node][0]

    def _ranks(self) -> dict[str, tuple[int, int]]:
        if self._ranked is None:
            self._ranked = {node: (at, rank) for at, ids in enumerate(self.phases) for rank, node in enumerate(ids)}
        return self._ranked

    def __getitem__(self, node: str) -> int:
        at, rank = self._ranks()[node]
        return self.starts[at] + rank

    def __iter__(self) -> Iterator[str]:
        return (node for ids in self.phases for node in ids)

    def __len__(self) -> int:
        return self.starts[-1]


class PlanSteps:
    def __init__(
        self,
        record: ExecutionRecord,
        plan: Plan,
        schedule: PlanSchedule,
        kept: Iterable[StepRecord] = (),
        ranked: dict[str, tuple[int, int]] | None = None,
        before: DoneBefore | None = None,
    ) -> None:
        """``ranked``: each step's phase and place in it, when the schedule was read in pieces (PhaseOrder);
        ``before``: the steps done before, as gathered while the plan was read (else gathered here)."""
        self.record, self.plan, self.schedule = record, plan, schedule
        self.position = PhaseOrder(schedule.phases, ranked)
        self.touched: dict[str, StepRecord] = {s.node_id: s for s in kept}
        before = before or DoneBefore(record, self.touched.values())
        self.done = before.done
        self.chunked = before.chunked
        self.run_index = max(len(record.runs) - 1, 0)
        self.finished_here = 0
        self.recent: deque[str] = deque(maxlen=RECENT_ROWS)
        self.failed: deque[str] = deque(maxlen=RECENT_ROWS)
        self.sizes = StepSizes()  # what the record query measured of them
        self._shown: dict[str, StepRecord] = {}  # steps not reached yet the record query listed (``listing``)

    def step(self, node_id: str) -> StepRecord:
        step = self.touched.get(node_id)
        if step is None:
            self._shown.pop(node_id, None)  # reached: the run changes a record of its own, never one a query sent
            step = self.touched[node_id] = self._pending(node_id)
        return step

    def state(self, node_id: str) -> StepState:
        step = self.touched.get(node_id)
        return step.state if step is not None else StepState.PENDING

    def _pending(self, node_id: str) -> StepRecord:
        return StepRecord(
            node_id=node_id,
            tool=self.plan.node(node_id).tool,
            phase=self.position.phase(node_id),
            depends_on=self.schedule.deps[node_id],
        )

    @contextmanager
    def changing(self, step: StepRecord) -> Iterator[StepRecord]:
        """Change ``step`` inside the block: the metrics and the rows follow."""
        was_finished = step.state in FINISHED_STEP_STATES
        with self.record.changing(step):
            yield step
        if step.state in FINISHED_STEP_STATES:
            step.run_index = self.run_index
            self.finished_here += not was_finished
            self.recent.append(step.node_id)
            if step.state == StepState.ERROR:
                self.failed.append(step.node_id)

    @property
    def unfinished(self) -> int:
        m = self.record.metrics
        return m.total_steps - (m.completed + m.failed + m.skipped + m.cancelled)

    @property
    def share(self) -> int:
        """How many steps ``listed`` lists: the earlier chunks' steps are the schedule's, each finished once."""
        return len(self.position) - len(self.chunked)

    def _share(self) -> Iterator[str]:
        """This run's steps, in phase order."""
        return (node for node in self.position if node not in self.chunked)

    def listed(self) -> list[StepRecord]:
        """Every step not in an earlier chunk, in phase order; those not reached yet as pending."""
        return [self.touched.get(node) or self._pending(node) for node in self._share()]

    def listing(self) -> Iterator[StepRecord]:
        """``listed`` one step at a time, for a reader of the first few (the record query): no step past those read
        is made, and a step not reached yet is made once, when first read, and kept until the run reaches it (a
        query asked every second made them all again each time)."""
        for node in self._share():
            step = self.touched.get(node)
            if step is None:
                step = self._shown.get(node)
                if step is None:
                    step = self._shown[node] = self._pending(node)
            yield step

    def remaining(self) -> Iterator[str]:
        """The steps not finished, in phase order."""
        return (
            node for node in self.position if node not in self.done and self.state(node) not in FINISHED_STEP_STATES
        )

    def rows(self, running: Iterable[str], limit: int = RECENT_ROWS) -> list[StepRecord]:
        """What the Web UI lists of a large plan: running steps, then the latest failed, then the latest finished."""
        rows: list[StepRecord] = []
        seen: set[str] = set()
        for node in (*running, *reversed(self.failed), *reversed(self.recent)):
            if len(rows) == limit:
                break
            if node not in seen and node in self.touched:
                seen.add(node)
                rows.append(self.touched[node])
        return rows

    def noted(self, running: Iterable[str]) -> list[StepRecord]:
        """The steps a record must say even when it leaves them out (ExecutionRecord.steps_noted): the running ones,
        then the latest failed."""
        return [s for s in self.rows(running, NOTED_STEPS) if s.state in (StepState.CALLING_TOOL, StepState.ERROR)]

    def hand_over(self, keep: Callable[[StepRecord], bool]) -> tuple[list[StepRecord], list[int], list[StepRecord]]:
        """This run's finished steps split in two: those that leave the record as a chunk (with their places
        in the whole record), and those ``keep`` keeps listed. Steps not finished are not carried: the next
        run lists them again from the schedule."""
        finished = sorted(
            (s for s in self.touched.values() if s.state in FINISHED_STEP_STATES),
            key=lambda s: self.position[s.node_id],
        )
        chunk = [s for s in finished if not keep(s)]
        return chunk, [self.position[s.node_id] for s in chunk], [s for s in finished if keep(s)]
