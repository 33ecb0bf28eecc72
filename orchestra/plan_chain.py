"""What one run of a plan hands to the next when it continues as new: where every step stands, never
the outputs.

A plan run's history grows with every step, and Temporal ends a run at 51,200 events or 50 MB; so a long
plan runs as a chain of runs with one workflow id (OrchestrationWorkflow continues as new when the server
suggests it). The next run gets the same ``RunRequest`` (the same bytes, so external storage keeps the
plan once) and this carry:

- the record: the chain's runs, metrics over every step, and the steps earlier runs finished, stored in
  chunks by reference (``ExecutionRecord.earlier``), those a compensation may still undo among them (each
  chunk's ``undo`` pages say which, workflows/handover.py; runs before that kept them listed);
- the schedule validation produced (stored once, in pieces: runs before stored it whole), so the plan is validated
  once per chain;
- the control state: a pause and the deadline (an absolute time) go on; a cancel is never carried;
- what later steps may still read of finished ones: their state, attempts, error and output, the
  output as a stored reference once it is large (``stored``);
- the circuits of the run's fallbacks, and the failures that will decide how the plan ends;
- once the chain has failed and its compensation outgrows a run, where the undos stand (``undoing``).

The chain's first run is started with the request and no carry, as two arguments (``first_run_args``):
the SDK decodes a workflow's arguments by its run method's type hints only when as many come as it
declares, so a request sent alone reaches the workflow as plain JSON, to be validated again (a second
pass over the whole plan). A plan of more than one piece (``in_pieces``) is started by reference
(orchestra/plan_start.py): its first piece in the request, the others stored (``RunRequest.steps_stored``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, ClassVar, TypeVar

import pydantic_core
from pydantic import BaseModel, Field, model_validator

from orchestra.calls import RunRequest
from orchestra.control import ControlState
from orchestra.record import ExecutionRecord, StepRecord
from orchestra.storage.stored import StoredValue
from orchestra.temporal_bounds import PLAN_PIECE_BYTES, PLAN_PIECE_STEPS
from orchestra.validation import PlanSchedule

# A run whose history reaches this many bytes while it cannot hand over (its steps still run, or none finished) ends
# here, recorded: Temporal's server terminates a run at 50 MB, its record lost. Signals fill a history whatever the run
# does (each one's input is in it): 35 signals of 1.5 MB from a plain Temporal client, sent while a step ran, had the
# run terminated as it waited for that step to hand over. Read where it is used (a test sets it lower).
HISTORY_STOP_BYTES = 40 * 1024 * 1024


class Failures(BaseModel):
    """Failed steps that fail the run (not those with skip_on_error): how many, and the first in plan order."""

    count: int = 0
    first: StepRecord | None = None
    first_position: int = -1


class UndoCursor(BaseModel):
    """Where a failed chain's compensation stands when it hands over to the next run (workflows/recovery.py): the
    chunk of ``record.earlier`` it undoes (counting down to the first), the page of that chunk's ``undo``, and the
    item of that page next to undo. What came before is undone (and recorded with its chunk); the run's own steps
    went into the newest chunk at the hand-over, so nothing is listed."""

    chunk: int
    page: int = 0
    item: int = 0
    budget_ends_at: datetime | None = Field(None, description="when the undos' budget ends (workflows/recovery.py)")
    budget_owed_s: float = Field(
        0.0, ge=0, allow_inf_nan=False, description="seconds undos waited for a worker, not yet added to that end"
    )


class PlanCarry(BaseModel):
    payload_without_defaults: ClassVar[bool] = True  # large: sent without its defaults (orchestra/converter.py)
    record: ExecutionRecord
    schedule: PlanSchedule | None = Field(None, description="when nothing is stored outside the history")
    schedule_ref: StoredValue | None = Field(None, description="the schedule, stored once for the whole chain")
    # Stored whole, 150,000 steps' schedule (4.8 MB) was decoded in one activation of every run after the first, past
    # the deadlock detector's 2 s: chains handed over since store it in pieces (orchestra/schedule_pieces.py).
    schedule_pieces: list[StoredValue] | None = Field(None, description="its steps' share, stored in pieces")
    schedule_head: PlanSchedule | None = Field(None, description="the schedule without its steps' share")
    control: ControlState = Field(default_factory=ControlState)
    scope: dict[str, Any] = Field(
        default_factory=dict, description="what unfinished steps (and compensations) still read of finished ones"
    )
    stored: dict[str, StoredValue] = Field(
        default_factory=dict, description="outputs in scope that are stored outside the history, by node"
    )
    open_circuits: list[str] = Field(default_factory=list)
    fallback_failures: dict[str, int] = Field(default_factory=dict)
    failures: Failures = Field(default_factory=Failures)
    undoing: UndoCursor | None = Field(None, description="a failed chain's compensation, handed over mid-way")
    timed_out: bool = Field(False, description="the undos handed over are those of a run its deadline stopped")
    # A large plan's request took seconds to decode in a run's first activation (workflows/plan_pieces.py): the runs
    # after the chain's first hand-over get none, but these.
    plan_pieces: list[StoredValue] | None = Field(None, description="the plan's steps, stored in pieces")
    request_header: dict[str, Any] | None = Field(None, description="the request, without its plan's steps")

    @model_validator(mode="after")
    def _holds_its_schedule(self) -> PlanCarry:
        if [self.schedule, self.schedule_ref, self.schedule_pieces].count(None) != 2:
            raise ValueError("a carry holds one of its schedule, a reference to it stored, or its stored pieces")
        if (self.schedule_pieces is None) != (self.schedule_head is None):
            raise ValueError(
                "a carry holds both its schedule's stored pieces and the schedule without them, or neither"
            )
        if (self.plan_pieces is None) != (self.request_header is None):
            raise ValueError(
                "a carry holds both its plan's stored steps and the request they were taken from, or neither"
            )
        return self


class StoredPlan(BaseModel):
    """A plan its starter stored by reference (orchestra/plan_start.py), as the activity validating it reads it:
    sent whole as that local activity's argument, the plan of 150,000 steps was encoded in the workflow's activation
    (1.9 s on a loaded machine, within the deadlock detector's 2 s)."""

    plan: dict[str, Any] = Field(description="the plan without its steps")
    first: list[dict[str, Any]] = Field(description="the steps the request held")
    pieces: list[StoredValue] = Field(description="the others, stored")


def first_run_args(request: RunRequest) -> list[RunRequest | None]:
    """OrchestrationWorkflow's arguments for the first run of a chain: every starter sends these."""
    return [request, None]


__all__ = ["PLAN_PIECE_BYTES", "PLAN_PIECE_STEPS", "PlanCarry", "StoredPlan", "first_run_args", "in_pieces"]


Item = TypeVar("Item")


def in_pieces(nodes: Iterable[dict[str, Any]], steps: int, size: int) -> list[list[dict[str, Any]]]:
    """A plan's steps (as written: JSON) in consecutive pieces of at most ``steps`` steps and ``size`` bytes of JSON
    each: what one activation decodes of them. A step larger than ``size`` alone is a piece of its own."""
    return list(pieces_of(nodes, steps, size))


def pieces_of(nodes: Iterable[Item], steps: int, size: int) -> Iterator[list[Item]]:
    """``in_pieces``, one piece at a time: a workflow writes the steps of the next pieces only (in_pieces). Pieces
    themselves are grouped alike, into the calls that store them (workflows/plan_pieces.py)."""
    piece: list[Item] = []
    taken = 2  # the list's brackets
    for node in nodes:
        node_size = len(pydantic_core.to_json(node)) + 1  # and its comma
        if piece and (len(piece) >= steps or taken + node_size > size):
            yield piece
            piece, taken = [], 2
        piece.append(node)
        taken += node_size
    if piece:
        yield piece
