"""A step's error message cut to fit the ended run's record (workflow code).

A tool's error message is unbounded (JMESPath's repeats its expression, control characters 4-6 bytes each in JSON):
one step error of 12 KB under an 8,192-byte store limit could not be stored alone, and the store of the ended record's
steps gave up on every one (attack375), the run's error copying that message whole besides. Cut, the message says how
much was cut, and the other steps are stored as they are."""

from __future__ import annotations

from collections.abc import Callable

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from orchestra.record import StepRecord

# Asked at the start (ORCHESTRATION_LATER): a run recorded before stored its steps' errors whole, or none.
ERRORS_CUT_PATCH = "step-errors-cut-to-fit-the-ended-record"
# What the run's own error message keeps of its first failed step's (the step's record has the rest).
RUN_MESSAGE_CHARS = 2000


def cut_message(message: str, keep: int) -> str:
    """``message``'s first ``keep`` characters, saying how many more were cut (whole when within ``keep``)."""
    if len(message) <= keep:
        return message
    return f"{message[:keep]} [... {len(message) - keep:,} more characters cut]"


def error_cut_to_fit(step: StepRecord, fits: Callable[[StepRecord], bool]) -> None:
    """``step``'s error message halved until ``fits(step)`` (a Fit's ``fits_alone``), or down to nothing."""
    if step.error is None:
        return
    whole, keep = step.error.message, len(step.error.message)
    while not fits(step) and keep:
        keep //= 2
        step.error = step.error.model_copy(update={"message": cut_message(whole, keep)})
