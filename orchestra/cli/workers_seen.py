"""Whether a worker polls a task queue, judged by the server's clock alone.

The server lists a worker's poller for minutes after the worker is gone, with the time of its last poll; a live idle
worker polls again each time its long poll ends (a minute on the server), so a poller unseen for longer than
POLLER_SEEN_WITHIN is a worker gone. "Longer" was measured with this machine's clock against the server's stamps: a
client clock 90 s ahead of the server's said "no worker" of a served run, and the run was never asked.

Now is taken as the newest time the server itself stamped (a poll, a run's event or pending task) plus the time this
process has counted since it read that stamp (time.monotonic, which no clock setting moves): never later than the
server's now, so a live worker is never said gone. A one-shot command that read no stamp newer than the gone worker's
last poll asks the run (its query then waits for nobody, and says so); `watch` knows within POLLER_SEEN_WITHIN.

A worker that shut down says so itself: its last heartbeat (ListWorkers, servers with worker heartbeats) has status
SHUTTING_DOWN or SHUTDOWN. Its poller, however recent, is then a worker gone, and a one-shot `status` is answered at
once, with when the server saw it poll last, where its query waited 5 s for nobody. The server lists pollers by
identity: create_worker gives each worker one of its own (a client's names its process alone, and a running worker
heartbeats first a minute after its start, so another worker of the process still polling was said gone with it).
An identity is gone only when each of its workers said it stopped, and only a poll no later than POLL_IN_TRANSIT_WITHIN
after that is theirs: the server stamps a poll with its own clock when the poll arrives, the heartbeat is stamped with
the worker's as it stops, and a poll the worker sent just before (its re-poll after answering a query) arrived after
its heartbeat's time at load: the stopped worker was counted polling, and its run asked for 5 s. A later poll is another
worker's of the same identity (an application may name its workers itself; create_worker's are unique), started again
after this one stopped. The heartbeat's time is the worker's clock: a worker clock behind the server's only keeps its
poller counted (asked, as before). A worker killed sends no such heartbeat: one of this PID namespace whose process is
gone is gone at once (process_gone), any other after POLLER_SEEN_WITHIN alone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from google.protobuf.timestamp_pb2 import Timestamp
from temporalio.api.enums.v1 import DescribeTaskQueueMode, TaskQueueType, WorkerStatus
from temporalio.api.taskqueue.v1 import PollerInfo, TaskQueue, TaskQueueVersionSelection
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest, ListWorkersRequest
from temporalio.client import Client
from temporalio.service import RPCError

from orchestra.cli.process_gone import process_gone_here

if TYPE_CHECKING:
    from orchestra.cli.worker_acts import Act

POLLER_SEEN_WITHIN = timedelta(seconds=90)
# How long after a worker's shutdown heartbeat a poll it sent before stopping may reach the server: under it, a worker
# of the same identity restarted within this time is said gone until its next poll (within a minute).
POLL_IN_TRANSIT_WITHIN = timedelta(seconds=10)
STOPPED = (WorkerStatus.WORKER_STATUS_SHUTTING_DOWN, WorkerStatus.WORKER_STATUS_SHUTDOWN)
HEARTBEAT_PAGES = 5  # the workers of a namespace are read a page at a time: past this many, the queue's are not known
HEARTBEAT_PAGE_SIZE = 1000


@dataclass(frozen=True)
class Seen:
    """The workers the server lists polling a task queue: how many are there, and when it last saw one poll of
    those it lists gone (unseen too long, or shut down), None if it lists none."""

    polling: int
    last_seen: datetime | None = None
    processes_gone: tuple[str, ...] = ()  # the identities of this host's workers listed whose process is not running
    last_poll: datetime | None = None  # the newest poll of those counted polling, if the server stamped one
    listed: frozenset[str] = frozenset()  # every identity the server lists, counted polling or not
    acted: Act | None = None  # of a run: the last act on it of a worker not listed (second_look.unserved_run)


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
    """How many workers poll ``task_queue`` for workflow tasks (seen). Raises PollersUnknown when the server cannot
    say."""
    return (await seen(client, namespace, task_queue)).polling


async def seen(client: Client, namespace: str, task_queue: str) -> Seen:
    """The workers polling ``task_queue`` for workflow tasks: a poller unseen for POLLER_SEEN_WITHIN before the
    server's now (server_now_at_least), or of a worker that said it shut down (shut_down), not counted. Raises
    PollersUnknown when the server cannot say."""
    polls = await pollers(client, namespace, task_queue)
    now = server_now_at_least(client)
    # A poller with no time of access is counted: only one known to be stale is a worker gone.
    live = [(who, at) for who, at in polls if at is None or now is None or at >= now - POLLER_SEEN_WITHIN]
    processes_gone = tuple(sorted({who for who, _ in live if process_gone_here(who)}))
    live = [(who, at) for who, at in live if who not in processes_gone]
    if live:
        stopped = await shut_down(client, namespace, task_queue)
        live = [
            (who, at)
            for who, at in live
            if at is None or who not in stopped or at > stopped[who] + POLL_IN_TRANSIT_WITHIN
        ]
    gone = [at for poll in polls if poll not in live and (at := poll[1]) is not None]
    last_poll = max((at for _, at in live if at is not None), default=None)
    return Seen(len(live), max(gone, default=None), processes_gone, last_poll, frozenset(who for who, _ in polls))


async def pollers(client: Client, namespace: str, task_queue: str) -> list[tuple[str, datetime | None]]:
    """Each identity the server lists polling ``task_queue`` for workflow tasks, with its last poll's time if stamped.
    Raises PollersUnknown when the server cannot say.

    Asked of every partition of the queue: the legacy DescribeTaskQueue lists the root partition's pollers alone, and a
    worker's polls land on a partition the server picks (the dev server has four), reaching the root only when a child
    forwards one (one at a time): of 8 pollers on the 1.32 dev server, the root listed 5, a worker polling only the
    others read as none. The enhanced mode (report_pollers) asks each partition; a server without it is asked the
    legacy way."""
    try:
        found = await _all_partitions(client, namespace, task_queue)
    except RPCError:
        found = None
    if found is None:
        request = DescribeTaskQueueRequest(
            namespace=namespace,
            task_queue=TaskQueue(name=task_queue),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        )
        try:
            found = list((await client.workflow_service.describe_task_queue(request)).pollers)
        except RPCError as exc:
            raise PollersUnknown(
                f"the server could not say which workers poll task queue {task_queue!r} ({exc})"
            ) from None
    newest: dict[str, datetime | None] = {}  # an identity listed by several partitions: its newest poll
    for poller in found:
        at = poller.last_access_time.ToDatetime(tzinfo=UTC) if poller.HasField("last_access_time") else None
        newest[poller.identity] = max((t for t in (at, newest.get(poller.identity)) if t is not None), default=None)
    saw(client, *newest.values())
    return list(newest.items())


async def _all_partitions(client: Client, namespace: str, task_queue: str) -> list[PollerInfo] | None:
    """The workflow pollers of every partition and version of ``task_queue`` (DescribeTaskQueue's enhanced mode), None
    when the server answered without them (a server that has no such mode)."""
    request = DescribeTaskQueueRequest(
        namespace=namespace,
        task_queue=TaskQueue(name=task_queue),
        api_mode=DescribeTaskQueueMode.DESCRIBE_TASK_QUEUE_MODE_ENHANCED,
        versions=TaskQueueVersionSelection(unversioned=True, all_active=True),
        task_queue_types=[TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW],
        report_pollers=True,
    )
    response = await client.workflow_service.describe_task_queue(request)
    if not response.versions_info:
        return None
    return [
        poller
        for version in response.versions_info.values()
        for kind, info in version.types_info.items()
        if kind == TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW
        for poller in info.pollers
    ]


async def shut_down(client: Client, namespace: str, task_queue: str) -> dict[str, datetime]:
    """The identities polling ``task_queue`` whose every worker said in its last heartbeat that it stopped, with the
    latest such heartbeat's time (workers of one process share an identity: one of them running keeps it polling);
    none when the server keeps no heartbeats (or could not list them): nothing is known then."""
    newest: dict[str, tuple[str, datetime, int]] = {}  # by worker: its identity, its last heartbeat's time and status
    request = ListWorkersRequest(namespace=namespace, page_size=HEARTBEAT_PAGE_SIZE)
    try:
        for _ in range(HEARTBEAT_PAGES):
            page = await client.workflow_service.list_workers(request)
            for info in page.workers_info:
                beat = info.worker_heartbeat
                if beat.task_queue != task_queue or not beat.HasField("heartbeat_time"):
                    continue
                at = beat.heartbeat_time.ToDatetime(tzinfo=UTC)
                key = beat.worker_instance_key or beat.worker_identity
                if key not in newest or at > newest[key][1]:
                    newest[key] = (beat.worker_identity, at, beat.status)
            if not page.next_page_token:
                break
            request.next_page_token = page.next_page_token
        else:
            return {}  # more workers than read: a running one of these identities may be unread
    except RPCError:
        return {}
    running = {who for who, _, status in newest.values() if status not in STOPPED}
    stopped: dict[str, datetime] = {}
    for who, at, _ in newest.values():
        if who not in running:
            stopped[who] = max(at, stopped.get(who, at))
    return stopped


async def unserved(client: Client, task_queue: str) -> Seen | None:
    """What the server says of the workers of ``task_queue`` when none polls it, so a query sent there would wait out
    its timeout unanswered: every kind of run is then answered without asking it. None when one polls, and for a
    queue the server cannot say about (asked: a worker that polls and does not answer times out the same)."""
    try:
        found = await seen(client, client.namespace, task_queue)
    except PollersUnknown:
        return None
    return found if found.polling == 0 else None
