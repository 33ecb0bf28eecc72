"""Whether a worker polls a task queue, judged by the server's clock alone.

The server lists a worker's poller for minutes after the worker is gone, with the time of its last poll; a live idle
worker polls again each time its long poll ends (a minute on the server), so a poller unseen for longer than
POLLER_SEEN_WITHIN is a worker gone. "Longer" was measured with this machine's clock against the server's stamps: a
client clock 90 s ahead of the server's said "no worker" of a served run, and the run was never asked.

Now is taken as the newest time the server itself stamped (a poll, a run's event or pending task) plus the time this
process has counted since it read that stamp (time.monotonic, which no clock setting moves): never later than the
server's now, so a live worker is never said gone. A one-shot command that read no stamp newer than the gone worker's
last poll asks the run (its query then waits for nobody, and says so); `watch` knows within POLLER_SEEN_WITHIN.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from weakref import WeakKeyDictionary

from google.protobuf.timestamp_pb2 import Timestamp
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client
from temporalio.service import RPCError

POLLER_SEEN_WITHIN = timedelta(seconds=90)


class PollersUnknown(Exception):
    """The server could not say which workers poll the task queue: nothing is known of them, none or some."""


# The most the server's clock is known to be ahead of time.monotonic(), in seconds, per client (one a process).
_server_ahead: WeakKeyDictionary[Client, float] = WeakKeyDictionary()


def saw(client: Client, *stamps: Timestamp | datetime | None) -> None:
    """The server stamped these times (each already past on its clock when this process reads it)."""
    read_at = time.monotonic()
    for stamp in stamps:
        if isinstance(stamp, Timestamp):
            stamp = stamp.ToDatetime(tzinfo=UTC) if stamp.seconds > 0 else None
        if stamp is None:
            continue
        ahead = stamp.timestamp() - read_at
        if ahead > _server_ahead.get(client, float("-inf")):
            _server_ahead[client] = ahead


def server_now_at_least(client: Client) -> datetime | None:
    """A time the server's clock has certainly reached, None before any stamp was read."""
    ahead = _server_ahead.get(client)
    return None if ahead is None else datetime.fromtimestamp(time.monotonic() + ahead, UTC)


async def workflow_pollers(client: Client, namespace: str, task_queue: str) -> int:
    """How many workers poll ``task_queue`` for workflow tasks, a poller unseen for POLLER_SEEN_WITHIN before the
    server's now (server_now_at_least) not counted. Raises PollersUnknown when the server cannot say."""
    request = DescribeTaskQueueRequest(
        namespace=namespace,
        task_queue=TaskQueue(name=task_queue),
        task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    )
    try:
        pollers = (await client.workflow_service.describe_task_queue(request)).pollers
    except RPCError as exc:
        raise PollersUnknown(f"the server could not say which workers poll task queue {task_queue!r} ({exc})") from None
    seen = [p.last_access_time.ToDatetime(tzinfo=UTC) if p.HasField("last_access_time") else None for p in pollers]
    saw(client, *seen)
    now = server_now_at_least(client)
    # A poller with no time of access is counted: only one known to be stale is a worker gone.
    return sum(1 for at in seen if at is None or now is None or at >= now - POLLER_SEEN_WITHIN)


async def unserved(client: Client, task_queue: str) -> bool:
    """Whether no worker polls ``task_queue``, so a query sent there would wait out its timeout unanswered: every
    kind of run is then answered without asking it. A queue the server cannot say about is asked (a worker that
    polls and does not answer times out the same)."""
    try:
        return await workflow_pollers(client, client.namespace, task_queue) == 0
    except PollersUnknown:
        return False
