"""A chain's plan handed over by reference (workflow code): the runs after the first get no request, but its steps
stored in pieces and the request without them (``PlanCarry.plan_pieces``, ``request_header``).

The SDK decodes a run's arguments in its first activation, which its deadlock detector gives 2 s: the request of a
plan of 50,000 steps took 1.9 s there on a loaded machine, of 150,000 7.2 s, and each run of the chain got it again.
Past 2 s that workflow task fails, and the next attempt fails the same way: the run never ends, nor says why. Read
back in pieces instead, one piece an activation, each activation's share stays a few hundred milliseconds. Stored by
the chain's first hand-over (beside its schedule), once for the chain; where nothing is stored outside the history,
or the pieces could not be stored, the request goes on as before.

A plan its starter stored by reference (orchestra/plan_start.py) comes with its first piece in the request and the others
stored: the chain's first run reads them back here too, and its hand-over stores only that first piece.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Collection, Iterator
from typing import Any, NamedTuple

from pydantic import TypeAdapter
from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.tools import ToolActivities
    from activities.values import ValueActivities
    from orchestra import plan_chain
    from orchestra.calls import CallSizes, RunRequest
    from orchestra.errors import ErrorKind
    from orchestra.plan import PlanNode
    from orchestra.plan_chain import PlanCarry
    from orchestra.schedule_pieces import PiecedSchedule, ReadBack, ScheduleJoiner, SchedulePiece
    from orchestra.storage.stored import StoredValue
    from orchestra.temporal_bounds import PLAN_PIECE_MOST_BYTES, reading_written_values
    from workflows.activity_options import ACTIVITY_FAILURES, classify_failure
    from workflows.handover import STORE_TIMEOUT
    from workflows.patches_at_start import patched
    from workflows.tool_calls import LOAD_TIMEOUT
    from workflows.value_sizes import sent_size

PLAN_BY_REFERENCE_PATCH = "plan-handed-over-by-reference"
# A piece over PLAN_PIECE_MOST_BYTES (as its reference says; the read checks that it says true) is refused before it is
# read: runs before read any. Asked before the run's first local activity (value_sizes.ask_before_reading).
PIECES_BOUNDED_PATCH = "plan-pieces-read-bounded"
# Pieces cut by bytes too (plan_chain.in_pieces), not by count alone: 10,000 steps of large arguments were one piece of
# tens of megabytes. Asked with PLAN_BY_REFERENCE_PATCH (before the hand-over's reads): runs before cut by count.
PIECES_BY_BYTES_PATCH = "plan-pieces-bounded-by-bytes"
# The checked schedule of a plan its starter stored by reference comes in pieces too (orchestra/schedule_pieces.py),
# read one an activation: returned whole, 150,000 steps' schedule was decoded in one activation, past the deadlock
# detector's 2 s on a loaded worker. Asked before the run's first local activity (value_sizes.ask_before_reading).
SCHEDULE_IN_PIECES_PATCH = "schedule-returned-in-pieces"
# Pieces a store call takes: each call's argument is encoded in the activation that makes it.
PIECES_A_CALL = 2
# A call's pieces together within a piece's bytes (so within the storing worker's room, which a piece is cut to), not
# two of them whatever their size: two pieces each cut to a 120 KB store's room were one 232 KB input it refused while
# the workflow task's completion was encoded, and the hand-over's task failed for ever. Asked at the start (LATER).
CALLS_WITHIN_A_PIECE_PATCH = "plan-stored-in-calls-within-a-piece"
# A store of the plan's pieces that failed sent the request whole to the next run, which the worker's store refused
# when the plan was over its limit (the continue-as-new's encoding failed, the workflow task for ever): now measured
# first, and over the limit the run ends saying so. Asked at the start (LATER).
WHOLE_FALLBACK_MEASURED_PATCH = "plan-sent-whole-only-within-the-limit"
_NODES: TypeAdapter[list[PlanNode]] = TypeAdapter(list[PlanNode])


async def by_reference(
    request: RunRequest,
    carry: PlanCarry,
    handed: PlanCarry | None,
    *,
    store: bool,
    piece: tuple[int, int],
    by_bytes: bool = False,
    given: StartedByReference | None = None,
    sizes: CallSizes | None = None,
) -> PlanCarry:
    """``carry`` with the plan by reference: as ``handed`` (this run's own carry) had it, or stored now when ``store``
    (the chain's first hand-over, PLAN_BY_REFERENCE_PATCH asked before it: runs recorded before go on as they were)
    and the hand-over stored its schedule (storage is on), in pieces of at most ``piece``'s steps, and bytes too when
    ``by_bytes`` (PIECES_BY_BYTES_PATCH). A plan its starter stored by reference (``given``): only the piece its
    request held is stored now. A store that fails leaves the request to go on whole, as before; with ``sizes`` (the
    limit of the worker handing over) and WHOLE_FALLBACK_MEASURED_PATCH, only when it fits them (``whole_within``)."""
    if handed is not None and handed.plan_pieces is not None:
        return carry.model_copy(update={"plan_pieces": handed.plan_pieces, "request_header": handed.request_header})
    if not store or (carry.schedule_ref is None and carry.schedule_pieces is None):
        return carry
    nodes = request.plan.nodes[: given.first_steps] if given is not None else request.plan.nodes
    # Written as they are stored, a call's pieces at a time: each call's in the activation that makes it (150,000 steps
    # written at once took seconds of one activation).
    written = (n.model_dump(mode="json", exclude_defaults=True) for n in nodes)
    size, most_bytes = piece
    if given is not None or by_bytes:
        pieces = plan_chain.pieces_of(written, size, most_bytes)
    else:
        pieces = (list(itertools.islice(written, size)) for _ in range(0, len(nodes), size))
    refs: list[StoredValue] = []
    measured = sizes is not None and patched(WHOLE_FALLBACK_MEASURED_PATCH)
    if patched(CALLS_WITHIN_A_PIECE_PATCH):  # a call's list of pieces as a piece is: within its bytes, its brackets too
        calls = plan_chain.pieces_of(pieces, PIECES_A_CALL, most_bytes + 2)
    else:
        calls = _by_count(pieces)
    for values in calls:
        try:
            stored: list[StoredValue] | None = await workflow.execute_local_activity_method(
                ValueActivities.store_values, values, start_to_close_timeout=STORE_TIMEOUT,
                retry_policy=RetryPolicy(maximum_attempts=5), summary=f"store the plan's {len(nodes):,} steps",
            )  # fmt: skip
        except ACTIVITY_FAILURES as err:
            if measured:
                assert sizes is not None
                whole_within(request, sizes, classify_failure(err, 5, "a piece of the plan's steps")[0].message)
            return carry  # the request goes on whole, as before: slower to read, but read
        if stored is None:
            return carry
        refs += stored
    refs += given.pieces if given is not None else []
    header = request.model_dump(mode="json", exclude={"plan": {"nodes"}, "steps_stored": True})
    return carry.model_copy(update={"plan_pieces": refs, "request_header": header})


class PlanNotHandedOver(Exception):
    """The plan could not be stored in pieces for the next run, and sent whole it is over the limit of the worker
    sending it: the run ends saying so (its record kept), instead of a continue-as-new that worker refuses."""


def whole_within(request: RunRequest, sizes: CallSizes, why: str) -> None:
    """Raises PlanNotHandedOver when ``request``, sent whole to the next run, is over ``sizes``' limit. Measured only
    on this fallback: a store that failed is rare, and measuring a large plan costs its encoding."""
    size = sent_size(request, sizes.value_limit) if sizes.value_limit else 0
    if size > sizes.value_limit:
        raise PlanNotHandedOver(
            f"could not hand the plan over to the next run of the chain: storing its steps failed ({why}), and sent"
            f" whole it is {size:,} bytes, over {sizes.limit_name} of {sizes.value_limit:,} bytes"
        )


def _by_count(pieces: Iterator[list[dict[str, Any]]]) -> Iterator[list[list[dict[str, Any]]]]:
    while values := list(itertools.islice(pieces, PIECES_A_CALL)):
        yield values


class StartedByReference(NamedTuple):
    """What a run its starter gave the plan by reference got (orchestra/plan_start.py): how many steps its request
    held (the first piece), and the others' pieces."""

    first_steps: int
    pieces: list[StoredValue]

    @staticmethod
    def of(request: RunRequest) -> StartedByReference | None:
        stored = request.steps_stored
        return None if stored is None else StartedByReference(len(request.plan.nodes), stored)


async def read_back(
    header: dict[str, Any],
    pieces: list[StoredValue],
    first: list[PlanNode] | None = None,
    *,
    written: bool = True,
    bounded: bool = False,
    each: Callable[[int], None] | None = None,
) -> RunRequest:
    """The request ``header`` had its plan's steps taken from, with them read back from ``pieces``, one an activation,
    after ``first`` (the steps a request started by reference held). ``written``: stored by a run of the chain, which
    read them as its starter wrote them (a ceiling passes what it would refuse now); else by the starter, and read
    as written now. ``each``: called after each piece, with the pieces left (this one among them). A piece that is not a list of steps raises ValidationError (the run ends saying so). ``bounded``
    (PIECES_BOUNDED_PATCH): a piece over PLAN_PIECE_MOST_BYTES raises a VALIDATION ApplicationError, unread."""
    nodes: list[PlanNode] = list(first or [])
    for at, ref in enumerate(pieces):
        if bounded and ref.bytes > PLAN_PIECE_MOST_BYTES:
            message = (
                f"piece {at + 1} of {len(pieces)} is {ref.bytes:,} bytes; a run reads pieces of at most"
                f" {PLAN_PIECE_MOST_BYTES:,} bytes (each is decoded in a workflow task of its own)"
            )
            raise ApplicationError(message, type=ErrorKind.VALIDATION, non_retryable=True)
        piece = await workflow.execute_local_activity_method(
            ToolActivities.load_value, ref, start_to_close_timeout=LOAD_TIMEOUT,
            retry_policy=RetryPolicy(maximum_attempts=5), summary=f"read the plan's steps ({at + 1} of {len(pieces)})",
        )  # fmt: skip
        with reading_written_values() if written else contextlib.nullcontext():
            nodes += _NODES.validate_python(piece)
        if each is not None:  # other work spread over the same activations: told how many pieces are left, this one too
            each(len(pieces) - at)
    with reading_written_values():  # the steps are models already: only the request's own fields are read here
        return RunRequest.model_validate({**header, "plan": {**header["plan"], "nodes": nodes}})


async def schedule_read_back(pieced: PiecedSchedule, done: Collection[str] = ()) -> ReadBack:
    """The schedule the validation (or the chain's first hand-over) stored in pieces, its steps' share read back one
    piece an activation; and the run's readiness, built with it, its steps ``done`` by the runs before left out, and
    each step's place in the plan and in its phase (ScheduleJoiner)."""
    if not pieced.pieces:
        return ReadBack(pieced.head)
    joiner = ScheduleJoiner(pieced.head, done)
    for at, ref in enumerate(pieced.pieces):
        piece = await workflow.execute_local_activity_method(
            ToolActivities.load_value, ref, start_to_close_timeout=LOAD_TIMEOUT, retry_policy=RetryPolicy(maximum_attempts=5),
            summary=f"read the plan's schedule ({at + 1} of {len(pieced.pieces)})",
        )  # fmt: skip
        joiner.add(SchedulePiece.model_validate(piece))
    return ReadBack(joiner.joined(), joiner.readiness, joiner.places, joiner.ranked)
