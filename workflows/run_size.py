"""When a plan run's history is full enough that it should continue as new (workflow code): the rule the drive
of its steps and the compensation of a failed chain share."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from orchestra import limits
    from orchestra.plan import Plan
    from orchestra.temporal_bounds import EVENTS_PER_RUN
    from workflows.history_stop import HistoryOverfull, history_past_stop, stop_said
    from workflows.patches_at_start import patched

__all__ = ("HistoryOverfull", "history_full", "history_overfull", "overfull_message")


def history_full(plan: Plan) -> bool:
    """The server suggests continuing as new, or the plan's own event limit, or the engine's limits, are reached."""
    info = workflow.info()
    return (
        info.is_continue_as_new_suggested()
        or info.get_current_history_length() >= (plan.history_events_per_run or EVENTS_PER_RUN)
        or info.get_current_history_size() >= limits.BYTES_PER_RUN  # read here: a test sets it lower
    )


# Asked at the start (ORCHESTRATION_LATER): a run recorded before waited for its running steps whatever its size.
HISTORY_STOP_PATCH = "run-ended-recorded-before-the-servers-history-limit"


def history_overfull() -> int | None:
    """The history's size when it has reached plan_chain.HISTORY_STOP_BYTES (HISTORY_STOP_PATCH), else None."""
    size = history_past_stop()
    return size if size is not None and patched(HISTORY_STOP_PATCH) else None


# Asked at the start (ORCHESTRATION_LATER): runs before waited for a running undo whatever their history's size, and
# said no undo owed when the history stopped a plan with compensate_on_failure.
UNDOS_OVERFULL_PATCH = "history-stop-watched-while-undos-run-and-undos-owed-said"


def overfull_message(size: int, running: int, *, undos: bool = False) -> str:
    ended = (
        "its running undo cancelled, the undos left not run (the record's undo gaps say which)"
        if undos
        else "its running steps cancelled (no undo runs)"
    )
    return stop_said(
        size, ended, f" while it could not hand over to the next run of its chain, {running} step(s) still running"
    )
