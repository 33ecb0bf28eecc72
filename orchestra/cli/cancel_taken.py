"""Whether a worker has taken a run's cancellation request: the server's list of pollers is not proof that none does.

A worker that was running the run's step was not listed at the moment `cancel` looked (a fresh-clone CI run, 4 test
processes on 2 cores), and `cancel` said "it has not taken effect: no worker polls" of a cancellation the worker acted
on 0.8 s later (second_look). The run's own history says it for certain: a workflow task started after the request is
a worker running the run's code with the request in hand.
"""

from __future__ import annotations

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from orchestra.cli.second_look import ONE_SHOT_LOOK_S, look_again
from orchestra.cli.worker_acts import newest_events

HISTORY_PAGES = 5  # the request is among the last events of a run that no worker served since


async def task_started_since_the_request(client: Client, workflow_id: str, run_id: str) -> bool:
    """True when a workflow task started after the run's (latest) cancellation request; False when none did or the
    history could not be read, or the request is further back than HISTORY_PAGES pages (not known)."""
    started = False
    async for event in newest_events(client, workflow_id, run_id, HISTORY_PAGES):
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED:
            return started
        started = started or event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED
    return False


async def taken_or_polled(client: Client, workflow_id: str, run_id: str, task_queue: str) -> bool:
    """True once a worker is listed polling ``task_queue`` or has taken the run's cancellation request, looked at for
    up to ONE_SHOT_LOOK_S; False when neither by then. Raises PollersUnknown when at the last look the server could
    not say which workers poll the queue (and no worker had taken the request)."""
    return await look_again(
        client, task_queue, ONE_SHOT_LOOK_S, lambda: task_started_since_the_request(client, workflow_id, run_id)
    )
