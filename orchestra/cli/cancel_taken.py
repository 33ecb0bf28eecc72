"""Whether a worker has taken a run's cancellation request: the server's list of pollers is not proof that none does.

The server lists a worker's poller only once a poll of it reaches the queue's partition it asked, and a server without
DescribeTaskQueue's enhanced mode lists the root partition's alone: a worker that was running the run's step was not
listed at the moment `cancel` looked (a fresh-clone CI run, 4 test processes on 2 cores), and `cancel` said "it has not
taken effect: no worker polls" of a cancellation the worker acted on 0.8 s later. The run's own history says it for
certain: a workflow task started after the request is a worker running the run's code with the request in hand.
"""

from __future__ import annotations

import asyncio

from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.enums.v1 import EventType
from temporalio.api.workflowservice.v1 import GetWorkflowExecutionHistoryReverseRequest
from temporalio.client import Client
from temporalio.service import RPCError

from orchestra.cli.workers_seen import PollersUnknown, workflow_pollers

# How long a command looks again before it says no worker took the request: a worker listed late, or one taking the
# task on a loaded machine, shows within it; a run no worker serves costs the command this much more.
TAKEN_WITHIN_S = 3.0
LOOK_EVERY_S = 0.25
HISTORY_PAGES = 5  # the request is among the last events of a run that no worker served since


async def task_started_since_the_request(client: Client, workflow_id: str, run_id: str) -> bool:
    """True when a workflow task started after the run's (latest) cancellation request; False when none did or the
    history could not be read, or the request is further back than HISTORY_PAGES pages (not known)."""
    request = GetWorkflowExecutionHistoryReverseRequest(
        namespace=client.namespace,
        execution=WorkflowExecution(workflow_id=workflow_id, run_id=run_id),
        maximum_page_size=100,
    )
    started = False
    try:
        for _ in range(HISTORY_PAGES):
            page = await client.workflow_service.get_workflow_execution_history_reverse(request)
            for event in page.history.events:
                if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED:
                    return started
                started = started or event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED
            if not page.next_page_token:
                return False
            request.next_page_token = page.next_page_token
    except RPCError:
        return False
    return False


async def taken_or_polled(client: Client, workflow_id: str, run_id: str, task_queue: str) -> bool:
    """True once a worker is listed polling ``task_queue`` or has taken the run's cancellation request, looked at for
    up to TAKEN_WITHIN_S; False when neither by then. Raises PollersUnknown when at the last look the server could not
    say which workers poll the queue (and no worker had taken the request)."""
    loop = asyncio.get_running_loop()
    until = loop.time() + TAKEN_WITHIN_S
    while True:
        unknown: PollersUnknown | None = None
        try:
            if await workflow_pollers(client, client.namespace, task_queue):
                return True
        except PollersUnknown as exc:
            unknown = exc
        if await task_started_since_the_request(client, workflow_id, run_id):
            return True
        if loop.time() >= until:
            if unknown is not None:
                raise unknown
            return False
        await asyncio.sleep(LOOK_EVERY_S)
