"""A run's plan validation with room of its own: an activity of the worker's control queue, not a local activity.

A worker's local activities share one queue and one set of slots (max_concurrent_local_activities), every run's
short local steps included, and the SDK reserves a slot before it knows which activity will take it: first
queued, first served. A run started beside one of 40 one-second local steps on 4 slots waited 8 s to validate
its plan, and a validation held past its 60 s schedule-to-close failed the run. A local activity's
schedule-to-start timeout does not help: the SDK reads it only when the activity reaches a slot. The control
queue (``control_queue``) is polled by a worker of its own in every worker process (worker.py), with slots of
its own; the price is a round trip to the server, once per chain. Histories from before it replay as they ran.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from temporalio import workflow

CONTROL_QUEUE_PATCH = "plan-validated-on-the-control-queue"
T = TypeVar("T")


def control_queue(task_queue: str) -> str:
    """The task queue of ``task_queue``'s control work (worker.py's control worker polls it)."""
    return f"{task_queue}.control"


async def control_call(activity: Callable[..., Awaitable[T]], *args: Any, **options: Any) -> T:
    """``activity(*args)`` with ``options``, on the control queue (a local activity in histories from before)."""
    if not workflow.patched(CONTROL_QUEUE_PATCH):
        return await workflow.execute_local_activity_method(activity, args=args, **options)
    queue = control_queue(workflow.info().task_queue)
    return await workflow.execute_activity_method(activity, args=args, task_queue=queue, **options)
