"""A large plan's checked schedule returned in pieces: what the validation of a plan started by reference gives back.

Returned whole, the schedule of 150,000 steps (4.8 MB: every step's dependencies, phase, options and reads) was
decoded in the one workflow activation the validation's result came in: 0.6 s of CPU on an idle machine, 2.6 s on a
loaded one, past the 2 s the SDK's deadlock detector gives an activation, and the workflow task failed, again and
again. The validation activity now keeps in its result only what is small whatever the plan's size (the head: the
distinct options, the value limit, ...) and stores the steps' share in consecutive pieces of steps (``SchedulePiece``)
the workflow reads back one an activation, as it reads the plan's own pieces (workflows/plan_pieces.py).

A piece holds its steps' share in plan order; the phases are each step's level (the phase it is in), from which the
phases are made again in the order ``dag.topological_phases`` gives them (within a level, plan order).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import ClassVar, NamedTuple

from pydantic import BaseModel, Field

from orchestra.converter import unreadable
from orchestra.scheduling import Readiness
from orchestra.storage.stored import StoredValue
from orchestra.validation import PlanSchedule


class SchedulePiece(BaseModel):
    """The schedule's share of consecutive steps of the plan, in plan order."""

    payload_without_defaults: ClassVar[bool] = True

    deps: dict[str, list[str]]
    levels: list[int] = Field(description="each step's phase")
    profile_of: list[int] = Field(default_factory=list)
    reads: dict[str, list[str]] = Field(default_factory=dict)
    compensation_reads: dict[str, list[str]] = Field(default_factory=dict)


class PiecedSchedule(BaseModel):
    """The validation's result: ``head`` is the schedule without its steps' share when ``pieces`` hold it (in plan
    order), the whole schedule when there are none (nothing stored outside the history)."""

    payload_without_defaults: ClassVar[bool] = True

    head: PlanSchedule
    pieces: list[StoredValue] = Field(default_factory=list)


def head_of(schedule: PlanSchedule) -> PlanSchedule:
    """``schedule`` without its steps' share."""
    update: dict[str, object] = {"deps": {}, "phases": [], "profile_of": [], "reads": {}, "compensation_reads": {}}
    return schedule.model_copy(update=update)


def cut(schedule: PlanSchedule, steps: int, size: int) -> Iterator[SchedulePiece]:
    """``schedule``'s steps' share in pieces of at most ``steps`` steps and ``size`` bytes of JSON (the last may have
    fewer), in plan order: by count alone, a few steps of thousands of dependencies each made a piece of megabytes,
    decoded in one activation. A step's share larger than ``size`` alone is a piece of its own. Measured a piece at a
    time and halved while over (a hand-over cuts in workflow code: measured a step at a time, 150,000 took 0.4 s)."""
    level = {node: at for at, phase in enumerate(schedule.phases) for node in phase}
    reads, undo_reads = schedule.reads or {}, schedule.compensation_reads
    nodes = list(schedule.deps)

    def piece(start: int, stop: int) -> SchedulePiece:
        ids = nodes[start:stop]
        return SchedulePiece.model_construct(  # of a checked schedule: not validated again
            deps={node: schedule.deps[node] for node in ids},
            levels=[level[node] for node in ids],
            profile_of=schedule.profile_of[start:stop],
            reads={node: reads[node] for node in ids if node in reads},
            compensation_reads={node: undo_reads[node] for node in ids if node in undo_reads},
        )

    def fitting(start: int, stop: int) -> Iterator[SchedulePiece]:
        made = piece(start, stop)
        if stop - start == 1 or len(made.model_dump_json()) <= size:
            yield made
        else:
            middle = (start + stop) // 2
            yield from fitting(start, middle)
            yield from fitting(middle, stop)

    for start in range(0, len(nodes), steps):
        yield from fitting(start, min(start + steps, len(nodes)))


class ReadBack(NamedTuple):
    """A schedule read back in pieces, and what the run's driver takes of it built a piece at a time (None: the
    schedule came whole, the driver builds them)."""

    schedule: PlanSchedule
    readiness: Readiness | None = None
    places: dict[str, int] | None = None
    ranked: dict[str, tuple[int, int]] | None = None


class ScheduleJoiner:
    """The schedule made again from its head and its pieces, one piece at a time (each in an activation of its own):
    the last step, ``joined``, only lays the steps out by phase. ``readiness``: the first run's (no step done yet),
    built with it a piece at a time (a continued run's: its steps ``done`` by the runs before); the run gives it which
    steps skip on error (the plan's). ``places`` and ``ranked`` too, and the phases: built whole, in the activation that
    made the run's driver (or joined the last piece), each was a walk of every step (150,000: some 100 ms of CPU idle)."""

    def __init__(self, head: PlanSchedule, done: Collection[str] = ()) -> None:
        self.head = head
        self.deps: dict[str, list[str]] = {}
        self.levels: list[int] = []
        self.profile_of: list[int] = []
        self.reads: dict[str, list[str]] = {}
        self.compensation_reads: dict[str, list[str]] = {}
        self.readiness = Readiness(self.deps, {}, done)
        self.places: dict[str, int] = {}  # each step's place in the plan, as PlanDriver looks its options up by
        self.ranked: dict[str, tuple[int, int]] = {}  # each step's phase and place in it (plan_steps.PhaseOrder)
        self._phases: dict[int, list[str]] = {}  # by level: a torn piece's level of billions makes no list that long

    def add(self, piece: SchedulePiece) -> None:
        """Raises ``unreadable`` (non-retryable: the run ends with it) for a piece no schedule cut gives: a
        ValueError or IndexError in the workflow failed its task again and again, the run never ending."""
        torn = _torn(piece, self.deps, len(self.head.profiles), len(self.profile_of) if self.deps else None)
        if torn:
            raise unreadable(ValueError(f"a piece of the plan's schedule {torn}"))
        self.places.update(zip(piece.deps, range(len(self.deps), len(self.deps) + len(piece.deps)), strict=True))
        self.deps.update(piece.deps)
        self.readiness.add(piece.deps)
        for node, level in zip(piece.deps, piece.levels, strict=True):
            phase = self._phases.setdefault(level, [])
            self.ranked[node] = level, len(phase)
            phase.append(node)
        self.levels += piece.levels
        self.profile_of += piece.profile_of
        self.reads.update(piece.reads)
        self.compensation_reads.update(piece.compensation_reads)

    def joined(self) -> PlanSchedule:
        highest = max(self._phases, default=-1)
        if highest >= len(self.deps):  # each phase holds a step at least: a level past them is none cut gave
            raise unreadable(
                ValueError(f"the plan's schedule puts a step in phase {highest} of {len(self.deps)} steps")
            )
        phases = [self._phases.get(level, []) for level in range(highest + 1)]
        # Checked by the activity that made it, and each piece as it was read: not walked again here.
        return self.head.model_copy(
            update={
                "deps": self.deps,
                "phases": phases,
                "profile_of": self.profile_of,
                "reads": self.reads,
                "compensation_reads": self.compensation_reads,
            }
        )


def _torn(piece: SchedulePiece, known: dict[str, list[str]], profiles: int, options_given: int | None) -> str | None:
    """What makes ``piece`` no share of a schedule after the steps ``known`` (None: nothing): a step given again (a
    piece read twice, or another run's), a phase or options that are not each step's, a step's options not among the
    head's ``profiles``; ``options_given``: how many steps' options the pieces before gave (None: no piece before)."""
    steps = len(piece.deps)
    if len(piece.levels) != steps or (piece.profile_of and len(piece.profile_of) != steps):
        return "does not give a phase and options to each of its steps"
    if options_given is not None and bool(piece.profile_of) != bool(options_given):
        return "gives its steps' options where the pieces before did not, or none where they did"
    again = next((node for node in piece.deps if node in known), None)
    if again is not None:
        return f"gives step {again[:80]!r} again"
    if any(level < 0 for level in piece.levels):
        return "puts a step in a phase before the first"
    if any(not 0 <= at < profiles for at in piece.profile_of):
        return "gives a step options the schedule does not have"
    return None


__all__ = ["PiecedSchedule", "ReadBack", "ScheduleJoiner", "SchedulePiece", "cut", "head_of"]
