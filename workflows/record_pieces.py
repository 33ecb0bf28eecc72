"""An ended run's record over the storage limit of the worker sending it, its steps stored in pieces (workflow code).

A run's result (and a failed run's details) is its record, every step of its share listed: some 3.5 KB a step. On a
worker storing less than the client that started the plan (ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES lower), a plan the
client passed ran every step and then ended ERROR, "every step completed; but the run's record is ... bytes": nothing
done was lost, but the run said it failed. Its steps go to the store instead, in chunks that each fit the worker's
room (workflows/handover_pieces.Fit), as a hand-over stores those it finished: the record keeps the references
(``ExecutionRecord.earlier``), which every reader already puts back in place (orchestra/storage/step_chunks.py), the
CLI's ``result`` and ``status`` among them.
"""

from __future__ import annotations

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.values import ValueActivities
    from orchestra.calls import CallSizes
    from orchestra.plan_steps import PlanSteps
    from orchestra.record import ExecutionRecord, StepChunk
    from orchestra.settings import NOTHING_STORED_OUTSIDE
    from orchestra.storage.stored import StoredValue
    from workflows.handover import STORE_TIMEOUT
    from workflows.handover_pieces import Fit
    from workflows.patches_at_start import patched
    from workflows.step_errors_cut import ERRORS_CUT_PATCH, error_cut_to_fit
    from workflows.value_sizes import sent_size

# Asked at the start (ORCHESTRATION_LATER): a run recorded before ended ERROR with its record over the limit.
RECORD_IN_PIECES_PATCH = "ended-record-over-the-limit-stored-in-pieces"


def over_the_limit(record: ExecutionRecord, sizes: CallSizes) -> bool:
    """Whether ``record`` is over the largest value the run can send, where a store could take its steps."""
    if not sizes.value_limit or sizes.limit_name == NOTHING_STORED_OUTSIDE or not record.steps:
        return False
    return sent_size(record, sizes.value_limit) > sizes.value_limit


async def store_the_steps(record: ExecutionRecord, steps: PlanSteps, sizes: CallSizes) -> None:
    """``record``'s listed steps (every step of this run's share) stored in chunks that fit ``sizes``' limit, and
    referenced from ``record.earlier``. A step too large to fit alone raises as a hand-over's does (the run ends
    naming it), once its error message, cut, could not make it fit (workflows/step_errors_cut.py); a store that keeps nothing outside the history leaves the record as it was (its size is said)."""
    fit = Fit(sizes.value_limit, sizes.limit_name)
    if patched(ERRORS_CUT_PATCH):
        for step in record.steps:
            if not fit.fits_alone(step):
                error_cut_to_fit(step, fit.fits_alone)
    pieces = fit.cut(record.steps, lambda step: f"the record of step {step.node_id[:80]!r}")
    refs: list[StoredValue] = []
    calls = fit.calls(pieces)
    for at, values in enumerate(calls):
        stored: list[StoredValue] | None = await workflow.execute_local_activity_method(
            ValueActivities.store_values, values, start_to_close_timeout=STORE_TIMEOUT,
            retry_policy=RetryPolicy(maximum_attempts=5),
            summary=f"store the record of the run's {len(record.steps):,} steps (part {at + 1} of {len(calls)})",
        )  # fmt: skip
        if stored is None:
            return
        refs += stored
    run_index = steps.run_index
    chunks = [
        StepChunk(
            run_index=run_index,
            nodes=[s.node_id for s in piece],
            positions=[steps.position[s.node_id] for s in piece],
            stored=ref,
        )
        for piece, ref in zip(pieces, refs, strict=True)
    ]
    record.earlier = [*record.earlier, *chunks]
    record.steps = []
