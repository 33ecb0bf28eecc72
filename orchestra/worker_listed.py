"""A worker is "ready" once the server lists it polling its task queue: what `status` reads to say a worker serves a run.

worker.py said "worker ready" on entering ``async with worker``, before its first poll reached the server: the server
listed no poller then and the worker about 2 s later, so a `status` right after `up` (which waits for that line) said
"no worker is polling". A server slow to list it never holds the worker up: after LISTED_WITHIN_S it says so (the
UNLISTED line, which `up` reports too), keeps running, and says it is ready once listed.
"""

from __future__ import annotations

import asyncio
import time

from temporalio.client import Client

from orchestra.cli.workers_seen import PollersUnknown, pollers

READY_LINE = "worker ready"
UNLISTED_LINE = "worker running but not yet listed"
LISTED_WITHIN_S = 15.0
_ASK_EVERY_S = 0.2
_ASK_LATE_EVERY_S = 5.0  # once said unlisted: a server that lists none for long is not asked 5 times a second for ever


async def until_listed(client: Client, task_queue: str, identity: str, within_s: float | None) -> bool:
    """True once the server lists ``identity`` among the workflow pollers of ``task_queue`` (every partition's), False
    if it has not after ``within_s`` seconds (None: however long it takes, asked less often)."""
    deadline = None if within_s is None else time.monotonic() + within_s
    while True:
        try:
            if any(who == identity for who, _ in await pollers(client, client.namespace, task_queue)):
                return True
        except PollersUnknown:
            pass  # asked again: the server's answer is what "ready" means
        if deadline is not None and time.monotonic() >= deadline:
            return False
        await asyncio.sleep(_ASK_EVERY_S if deadline is not None else _ASK_LATE_EVERY_S)


def unlisted_note(task_queue: str) -> str:
    """Said in READY_LINE's place by a worker not listed in time; READY_LINE is no part of it (`up` waits for either)."""
    return (
        f"{UNLISTED_LINE}: the server does not list it polling task queue {task_queue!r} after {LISTED_WITHIN_S:.0f} s;"
        " it keeps polling and says it is ready once listed (until then `status` says no worker polls the queue)"
    )
