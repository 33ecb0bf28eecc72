"""A chain's plan handed over by reference (workflow code): the runs after the first get no request, but its steps
stored in pieces and the request without them (``PlanCarry.plan_pieces``, ``request_header``).

The SDK decodes a run's arguments in its first activation, which its deadlock detector gives 2 s: the request of a
plan of 50,000 steps took 1.9 s there on a loaded machine, of 150,000 7.2 s, and each run of the chain got it again.
Past 2 s that workflow task fails, and the next attempt fails the same way: the run never ends, nor says why. Read
back in pieces instead, one piece an activation, each activation's share stays a few hundred milliseconds. Stored by
the chain's first hand-over (beside its schedule), once for the chain; where nothing is stored outside the history,
or the pieces could not be stored, the request goes on as before.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter
from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.tools import ToolActivities
    from activities.values import ValueActivities
    from orchestra import plan_chain
    from orchestra.calls import RunRequest
    from orchestra.plan import PlanNode
    from orchestra.plan_chain import PlanCarry
    from orchestra.storage.stored import StoredValue
    from orchestra.temporal_bounds import reading_written_values
    from workflows.activity_options import ACTIVITY_FAILURES
    from workflows.handover import STORE_TIMEOUT
    from workflows.tool_calls import LOAD_TIMEOUT

PLAN_BY_REFERENCE_PATCH = "plan-handed-over-by-reference"
# Pieces a store call takes: each call's argument is encoded in the activation that makes it.
PIECES_A_CALL = 2
_NODES: TypeAdapter[list[PlanNode]] = TypeAdapter(list[PlanNode])


async def by_reference(request: RunRequest, carry: PlanCarry, handed: PlanCarry | None, *, store: bool) -> PlanCarry:
    """``carry`` with the plan by reference: as ``handed`` (this run's own carry) had it, or stored now when ``store``
    (the chain's first hand-over, PLAN_BY_REFERENCE_PATCH asked before it: runs recorded before go on as they were)
    and the hand-over stored its schedule (storage is on)."""
    if handed is not None and handed.plan_pieces is not None:
        return carry.model_copy(update={"plan_pieces": handed.plan_pieces, "request_header": handed.request_header})
    if not store or carry.schedule_ref is None:
        return carry
    nodes = request.plan.nodes
    size = plan_chain.PLAN_PIECE_STEPS
    pieces = [nodes[at : at + size] for at in range(0, len(nodes), size)]
    refs: list[StoredValue] = []
    for first in range(0, len(pieces), PIECES_A_CALL):
        values = [
            [n.model_dump(mode="json", exclude_defaults=True) for n in piece]
            for piece in pieces[first:][:PIECES_A_CALL]
        ]
        try:
            stored: list[StoredValue] | None = await workflow.execute_local_activity_method(
                ValueActivities.store_values, values, start_to_close_timeout=STORE_TIMEOUT,
                retry_policy=RetryPolicy(maximum_attempts=5), summary=f"store the plan's {len(nodes):,} steps",
            )  # fmt: skip
        except ACTIVITY_FAILURES:
            return carry  # the request goes on whole, as before: slower to read, but read
        if stored is None:
            return carry
        refs += stored
    header = request.model_dump(mode="json", exclude={"plan": {"nodes"}})
    return carry.model_copy(update={"plan_pieces": refs, "request_header": header})


async def read_back(header: dict[str, Any], pieces: list[StoredValue]) -> RunRequest:
    """The request ``header`` had its plan's steps taken from, with them read back from ``pieces``, one an activation."""
    nodes: list[PlanNode] = []
    for at, ref in enumerate(pieces):
        piece = await workflow.execute_local_activity_method(
            ToolActivities.load_value, ref, start_to_close_timeout=LOAD_TIMEOUT,
            retry_policy=RetryPolicy(maximum_attempts=5), summary=f"read the plan's steps ({at + 1} of {len(pieces)})",
        )  # fmt: skip
        with reading_written_values():
            nodes += _NODES.validate_python(piece)
    with reading_written_values():  # the steps are models already: only the request's own fields are read here
        return RunRequest.model_validate({**header, "plan": {**header["plan"], "nodes": nodes}})
