"""`status` counts a worker polling any partition of a task queue, not only the root's.

The server splits a task queue into partitions (the dev server into four, `/_sys/<queue>/1`..) and puts each poll on
one it picks; the legacy DescribeTaskQueue lists the root partition's pollers alone, and a child passes the root one
poll at a time. Of 8 pollers on the 1.32 dev server the root listed 5: a worker whose polls all sat on the other
partitions read as "no worker is polling". Every partition is asked now (workers_seen.pollers).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import timedelta

from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import PollWorkflowTaskQueueRequest
from temporalio.client import Client
from temporalio.service import RPCError

from orchestra.cli.workers_seen import seen
from tests.helpers import until

POLLERS = 24  # on four partitions, some certainly wait on a child that already passes the root another's poll


async def poll(client: Client, task_queue: str, identity: str) -> None:
    request = PollWorkflowTaskQueueRequest(namespace=client.namespace, task_queue=TaskQueue(name=task_queue),
                                           identity=identity)  # fmt: skip
    with contextlib.suppress(RPCError):  # cancelled at the test's end
        await client.workflow_service.poll_workflow_task_queue(request, timeout=timedelta(seconds=300))


async def test_pollers_of_every_partition_are_listed(client: Client) -> None:
    task_queue = f"partitioned-{uuid.uuid4().hex[:8]}"  # nothing is ever started on it: every poll waits
    identities = {f"poller-{n}" for n in range(POLLERS)}
    polls = [asyncio.create_task(poll(client, task_queue, who)) for who in identities]
    try:
        # Each poll reaches its partition a moment after it is sent: waited for, all of them.
        counted = await until(
            lambda: seen(client, client.namespace, task_queue), lambda found: found.polling >= POLLERS
        )
        assert counted.polling == POLLERS, counted
    finally:
        for task in polls:
            task.cancel()
        await asyncio.gather(*polls, return_exceptions=True)
