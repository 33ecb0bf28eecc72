"""How long an activity's attempts waited for a worker's free slot, every one of them: each attempt's wait runs from
when the server scheduled it to when a worker started it, and the earlier attempts' total rides in each heartbeat's
details, which Temporal gives the next attempt, and the workflow with a timeout (``last_heartbeat_details``). The
undos' budget gives these waits back (workflows/recovery.py): the first attempt's wait alone was, so a retried or
timed-out undo's waits for a busy worker were spent from the budget."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

KEY = "waited_for_a_slot_s"


def waited_so_far() -> float | None:
    """This activity's attempts' waits so far, this one's included; None for a local activity (no slot at the
    server, no heartbeats to carry them)."""
    from temporalio import activity

    info = activity.info()
    if info.is_local:
        return None
    this = (info.started_time - info.current_attempt_scheduled_time).total_seconds()
    return (waits_in(info.heartbeat_details) or 0.0) + max(this, 0.0)


def beat(*details: Any) -> None:
    """A heartbeat with ``details`` and the waits so far after them (a tool's own details are kept as given)."""
    from temporalio import activity

    waited = waited_so_far()
    activity.heartbeat(*details, *(() if waited is None else ({KEY: waited},)))


def waits_in(details: Sequence[Any]) -> float | None:
    """The waits a heartbeat's or a failure's details say; None when they say none."""
    for detail in details:
        value = detail.get(KEY) if isinstance(detail, dict) else None
        if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
            return float(value)
    return None
