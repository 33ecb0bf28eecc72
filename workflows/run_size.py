"""When a plan run's history is full enough that it should continue as new (workflow code): the rule the drive
of its steps and the compensation of a failed chain share."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from orchestra.limits import BYTES_PER_RUN
    from orchestra.plan import Plan
    from orchestra.temporal_bounds import EVENTS_PER_RUN


def history_full(plan: Plan) -> bool:
    """The server suggests continuing as new, or the plan's own event limit, or the engine's limits, are reached."""
    info = workflow.info()
    return (
        info.is_continue_as_new_suggested()
        or info.get_current_history_length() >= (plan.history_events_per_run or EVENTS_PER_RUN)
        or info.get_current_history_size() >= BYTES_PER_RUN
    )
