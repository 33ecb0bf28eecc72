"""The validation's input within the store of the worker running the run (workflow code).

A client checks a plan against its own storage limit; a worker with a smaller one (ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES
lower there) met it only when it sent the plan, whole or as its starter's first piece, to the validating local
activity: its store refused that input while encoding the workflow task's completion ("Failed encoding completion:
StoredPayloadTooLarge"), which never reaches workflow code, and the first task failed again and again with nothing
recorded. Measured before the activity is scheduled, an input over the worker's room is stored by the run in pieces
that fit it, each a local activity's input, and validated by reference (its schedule returned in pieces, cut to the
same room); a step alone over the worker's limit ends the run, said; one within the limit but not beside its envelope
is sent as it was, and its call fails its step, naming the limit.
"""

from __future__ import annotations

import pydantic_core
from pydantic import BaseModel
from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.values import ValueActivities
    from orchestra.limits import payload_size
    from orchestra.plan import Plan
    from orchestra.plan_chain import StoredPlan, pieces_of
    from orchestra.storage.stored import StoredValue
    from orchestra.stored_room import piece_bytes, value_room
    from orchestra.temporal_bounds import PLAN_PIECE_BYTES, PLAN_PIECE_STEPS
    from workflows.handover import STORE_TIMEOUT
    from workflows.patches_at_start import patched
    from workflows.value_sizes import READ_FROM, worker_limit_or

# After the gate: asked at the start of every run (patches_at_start.ORCHESTRATION_LATER); a run recorded before it
# sends its validation's input unmeasured, as it did.
VALIDATION_INPUT_PATCH = "validation-input-within-the-workers-limit"


async def plan_within_room(sent: BaseModel, plan: Plan) -> StoredPlan | str | None:
    """None when ``sent`` (the validating activity's input, of ``plan``) fits this worker's store; else ``plan``
    stored by this run in pieces that fit it, or why it cannot be (a step alone over it). The limit is read (a local
    activity, recorded) only for an input that could be over some worker's."""
    if not patched(VALIDATION_INPUT_PATCH):
        return None
    size = payload_size(sent)
    if size <= READ_FROM:
        return None
    limit, name = await worker_limit_or(0, "")
    room = value_room(limit, name)
    if room is None or size <= room:
        return None
    nodes = (node.model_dump(mode="json", exclude_defaults=True) for node in plan.nodes)
    refs: list[StoredValue] = []
    for piece in pieces_of(nodes, PLAN_PIECE_STEPS, piece_bytes(PLAN_PIECE_BYTES, room)):
        piece_size = len(pydantic_core.to_json(piece))
        if piece_size > room and piece_size <= limit:
            # One step within the limit but not beside its envelope: sent as it was, its call fails its step.
            return None
        if piece_size > room:  # one step over the limit the client's check let through: its store refuses it
            return (
                f"the plan's step {piece[0].get('id', '')[:80]!r} is {piece_size:,} bytes; this worker's store takes"
                f" at most {limit:,} bytes a value ({name}), below the limit of the client that started the run: set"
                " ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES on the worker at least as high as on the client"
            )
        stored = await workflow.execute_local_activity_method(
            ValueActivities.store_values,
            [piece],
            start_to_close_timeout=STORE_TIMEOUT,
            retry_policy=RetryPolicy(maximum_attempts=5),
            summary=f"store {len(piece)} of the plan's steps to validate (piece {len(refs) + 1})",
        )
        if stored is None:  # nothing is stored outside the history on this worker: sent as it was
            return None
        refs += stored
    return StoredPlan(plan=plan.model_dump(mode="json", exclude={"nodes"}), first=[], pieces=refs)
