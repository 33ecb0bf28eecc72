"""A large plan started by reference: the starter stores its steps after the first piece, in the run's own scope of
the external storage, and the request carries that piece and their references (``RunRequest.steps_stored``).

The SDK decodes a run's input in its first activation, which its deadlock detector gives 2 s: the request of a plan of
150,000 steps took 4.9-7.2 s there on a loaded machine (a run failed on it, and passed only on retry). Started by
reference, that activation decodes one piece, and the run reads the others back one an activation
(workflows/plan_pieces.py), as the runs after a hand-over do: the pieces are cut alike (``plan_chain.in_pieces``).

Where nothing is stored outside the history (ORCHESTRA_STORAGE=off) the request goes whole, as before: Temporal's
2 MiB payload limit then bounds it (about 25,000 no-op steps, decoded in well under a second).
"""

from __future__ import annotations

from temporalio.client import Client
from temporalio.converter import StorageDriverWorkflowInfo

from orchestra.calls import RunRequest
from orchestra.plan_chain import in_pieces
from orchestra.settings import TEMPORAL_PAYLOAD_LIMIT, Settings
from orchestra.storage.stored import StoredValue
from orchestra.storage.values import load_value, store_value, threshold
from orchestra.stored_room import piece_bytes, value_room
from orchestra.temporal_bounds import PLAN_PIECE_BYTES, PLAN_PIECE_MOST_BYTES

WORKFLOW_TYPE = "OrchestrationWorkflow"
# The largest request a starter that cannot store the plan by reference (a schedule: its runs' ids are the server's)
# sends whole: Temporal's payload limit, which bounds it with ORCHESTRA_STORAGE=off too (about 25,000 no-op steps,
# decoded in the run's first activation in 0.5 s; 150,000 took 4.9-7.2 s there, past the 2 s deadlock detector).
WHOLE_REQUEST_LIMIT = TEMPORAL_PAYLOAD_LIMIT
# What the CLI reads back of a run's stored steps (``whole``), as the run's history says they were stored, which whoever
# started the run wrote: each piece at most what the run reads (PLAN_PIECE_MOST_BYTES), and all of them at most the
# largest plan the default storage limit carries (50 MiB) with the overhead a piece is allowed (PLAN_PIECE_MOST_BYTES
# over PLAN_PIECE_BYTES); and at most a few thousand pieces (some 160 of the default size; more for a starter cutting
# pieces of few steps, ORCHESTRA_PLAN_PIECE_STEPS). Before, every reference the history held was read, however many
# and however large each said it was.
STORED_STEPS_MOST_BYTES = 50 * 1024 * 1024 * PLAN_PIECE_MOST_BYTES // PLAN_PIECE_BYTES
STORED_STEPS_MOST_PIECES = 5_000


async def by_reference(client: Client, request: RunRequest, workflow_id: str, settings: Settings) -> RunRequest:
    """``request`` as the run with id ``workflow_id`` is started with: whole when its plan is one piece or nothing is
    stored outside the history; else its first piece, and the others stored (read only by that workflow id)."""
    if threshold(client.data_converter) is None:
        return request
    nodes = [node.model_dump(mode="json", exclude_defaults=True) for node in request.plan.nodes]
    # Within the storage limit too: a piece of the default 1 MB was refused by a smaller store, and the start with it.
    size = piece_bytes(settings.plan_piece_bytes, value_room(*settings.largest_value()))
    pieces = in_pieces(nodes, settings.plan_piece_steps, size)
    if len(pieces) <= 1:
        return request
    owner = StorageDriverWorkflowInfo(namespace=client.namespace, id=workflow_id, type=WORKFLOW_TYPE)
    refs: list[StoredValue] = [await store_value(client.data_converter, piece, owner) for piece in pieces[1:]]
    plan = request.plan.model_copy(update={"nodes": request.plan.nodes[: len(pieces[0])]})
    return request.model_copy(update={"plan": plan, "steps_stored": refs})


async def whole(client: Client, request: RunRequest) -> RunRequest:
    """``request`` with its stored steps read back (what a reader of the run's history needs to list them all): the
    CLI reads any stored value (its converter is not bound to a workflow)."""
    if not request.steps_stored:
        return request
    refuse_unbounded(request.steps_stored)
    nodes = [node.model_dump(mode="json", exclude_defaults=True) for node in request.plan.nodes]
    for ref in request.steps_stored:
        nodes += await load_value(client.data_converter, ref)
    plan = request.plan.model_dump(mode="json", exclude={"nodes"})
    return RunRequest.model_validate(
        {**request.model_dump(mode="json", exclude={"plan", "steps_stored"}), "plan": {**plan, "nodes": nodes}}
    )


def refuse_unbounded(pieces: list[StoredValue]) -> None:
    """ValueError, before any is read, for stored steps over what ``whole`` reads (STORED_STEPS_MOST_*)."""
    if len(pieces) > STORED_STEPS_MOST_PIECES:
        raise ValueError(
            f"the plan's steps are stored in {len(pieces):,} pieces; at most {STORED_STEPS_MOST_PIECES:,} are read"
        )
    total = 0
    for at, ref in enumerate(pieces):
        if not 0 <= ref.bytes <= PLAN_PIECE_MOST_BYTES:  # a negative size would let the others' total past the cap
            raise ValueError(
                f"piece {at + 1} of {len(pieces)} is {ref.bytes:,} bytes; a run reads pieces of at most {PLAN_PIECE_MOST_BYTES:,} bytes"
            )
        total += ref.bytes
    if total > STORED_STEPS_MOST_BYTES:
        raise ValueError(f"the plan's stored steps are {total:,} bytes; at most {STORED_STEPS_MOST_BYTES:,} are read")


def too_large_whole(request: RunRequest, who: str) -> str | None:
    """Why ``request`` cannot be sent whole by ``who`` (a starter that cannot store it by reference), or None."""
    size = len(request.model_dump_json(exclude_defaults=True))
    if size <= WHOLE_REQUEST_LIMIT:
        return None
    return (
        f"the plan's request is {size:,} bytes; {who} sends it whole, decoded in each run's first workflow task, and"
        f" takes at most {WHOLE_REQUEST_LIMIT:,} bytes (Temporal's payload limit; 150,000 steps took 4.9-7.2 s there,"
        " past the SDK's 2 s deadlock detector): split the plan, or start it with `start` (it stores a large plan's"
        " steps by reference)"
    )
