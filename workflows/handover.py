"""Handing a plan run over to the next run of its chain (workflow code): the steps this run finished
are stored as one chunk, outputs later steps still read are stored once they are large, and what is left
is the carry (orchestra/plan_chain.py), small whatever the chain's length."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.values import ValueActivities
    from orchestra.plan_chain import PlanCarry
    from orchestra.record import OUTPUT_PREVIEW_BYTES, StepChunk, StepRecord, StepState
    from orchestra.storage.stored import StoredValue
    from workflows.control import RunControl
    from workflows.plan_driver import PlanDriver

STORE_TIMEOUT = timedelta(seconds=120)


async def hand_over(driver: PlanDriver, control: RunControl) -> PlanCarry:
    plan = driver.plan

    def undoable(step: StepRecord) -> bool:
        """A step whose compensation may still run stays listed in the record the runs carry."""
        return (
            plan.compensate_on_failure
            and step.state == StepState.COMPLETED
            and bool(plan.node(step.node_id).compensation)
        )

    chunk, positions, kept = driver.steps.hand_over(undoable)
    carry = driver.carry(control.state)
    large = [node for node, entry in carry.scope.items() if _json_size(entry.get("output")) > OUTPUT_PREVIEW_BYTES]
    # What goes to storage, in this order: the chunk, the schedule (by the chain's first hand-over only: the
    # runs after it pass its reference on), the large outputs still in scope.
    chunks = [chunk] if chunk else []
    schedules = [driver.schedule] if driver.schedule_ref is None else []
    outputs = [carry.scope[node]["output"] for node in large]
    refs: list[StoredValue] | None = None
    if chunks or schedules or outputs:
        refs = await workflow.execute_local_activity_method(
            ValueActivities.store_values,
            [*chunks, *schedules, *outputs],
            start_to_close_timeout=STORE_TIMEOUT,
            retry_policy=RetryPolicy(maximum_attempts=5),
            summary=f"store the {len(chunk)} steps this run finished",
        )
    earlier = list(driver.record.earlier)
    run_index, nodes = driver.steps.run_index, [s.node_id for s in chunk]
    if refs is None:  # nothing is stored outside the history: the steps travel in the carry
        if chunk:
            earlier.append(StepChunk(run_index=run_index, nodes=nodes, positions=positions, steps=chunk))
    else:
        chunk_refs, schedule_refs = refs[: len(chunks)], refs[len(chunks) : len(chunks) + len(schedules)]
        for stored in chunk_refs:
            earlier.append(StepChunk(run_index=run_index, nodes=nodes, positions=positions, stored=stored))
        for stored in schedule_refs:
            carry.schedule, carry.schedule_ref = None, stored
        for node, ref in zip(large, refs[len(chunks) + len(schedules) :], strict=True):
            carry.stored[node] = ref
            carry.scope[node] = {**carry.scope[node], "output": None}
    carry.record = driver.record.model_copy(update={"steps": kept, "earlier": earlier})
    # As control stands now: a pause or resume taken while the steps were stored (its update answered that
    # it took effect) was lost with the state read before, and the next run ran on.
    carry.control = control.state
    return carry


def _json_size(value: Any) -> int:
    return 0 if value is None else len(json.dumps(value, default=str))
