"""Whether no worker serves a run: the server's list of pollers, read again when the run says a worker acted on it.

The server lists a worker's poller only once a poll of it reaches the queue's partition it asked, later at load: one
read of the list said "no worker" of runs a worker was serving (`cancel` said its request "has not taken effect" of one
a worker acted on 0.8 s later; `status` rebuilt the record of a run whose step a worker was running, saying no worker
polls). So when the server lists no live poller but a worker it does not list acted on the run lately (worker_acts),
the list and the run are looked at again, every LOOK_EVERY_S for a bound each command chooses: a worker listed, or a
new act of one, is a worker serving the run. A run no worker acted on lately is said unserved after the one read: a
never-served run, one whose workers the server lists gone (shut down, unseen too long, their process gone here), and
one whose last act is old all cost nothing more.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from temporalio.client import Client

from orchestra.cli.process_gone import process_gone_here
from orchestra.cli.worker_acts import Act, acts
from orchestra.cli.workers_seen import PollersUnknown, Seen, server_now_at_least, unserved, workflow_pollers

LOOK_EVERY_S = 0.25
# The bound of a one-shot command's second look (status, cancel, trajectory, the hint of an unanswered pause or
# approve): a live worker's poll is listed within it at load; a run no worker serves any more costs the command this
# much more, and only when a worker acted on it within ACTED_WITHIN.
ONE_SHOT_LOOK_S = 3.0
# `watch` reads the run again every half second on its own: a longer look would only hold its first lines up.
WATCH_LOOK_S = 1.0
# An act this recent by a worker the server does not list may be a worker not listed yet: looked at again. Judged by
# this machine's clock as well as the server's stamps: a clock behind the server's costs a needless look, one ahead
# skips it (the one read, as before); what is said is the server's alone.
ACTED_WITHIN = timedelta(seconds=10)


async def look_again(client: Client, task_queue: str, within_s: float, evidence: Callable[[], Awaitable[bool]]) -> bool:
    """True once a worker is listed polling ``task_queue`` or ``evidence()`` is true, looked at every LOOK_EVERY_S for
    up to ``within_s``; False when neither by then. Raises PollersUnknown when at the last look the server could not
    say which workers poll the queue (and there was no evidence)."""
    loop = asyncio.get_running_loop()
    until = loop.time() + within_s
    while True:
        unknown: PollersUnknown | None = None
        try:
            if await workflow_pollers(client, client.namespace, task_queue):
                return True
        except PollersUnknown as exc:
            unknown = exc
        if await evidence():
            return True
        if loop.time() >= until:
            if unknown is not None:
                raise unknown
            return False
        await asyncio.sleep(LOOK_EVERY_S)


async def unserved_run(client: Client, workflow_id: str, run_id: str, task_queue: str, within_s: float) -> Seen | None:
    """What the server says of the workers of ``task_queue`` when none is listed polling it and none acted on the run
    since the last that did (looked at for up to ``within_s`` when that was lately; ``acted`` is that act), so a query
    sent there would wait out its timeout unanswered. None when a worker polls or serves the run, and when the server
    cannot say (asked: a worker that polls and does not answer times out the same)."""
    found = await unserved(client, task_queue)
    if found is None:
        return None
    listed = found.listed

    async def unlisted_acts() -> list[Act]:
        return [
            act
            for act in await acts(client, workflow_id, run_id)
            if act.identity not in listed and not process_gone_here(act.identity)
        ]

    latest = await unlisted_acts()
    if not latest:
        return found
    last = latest[0]
    found = replace(found, acted=last)
    now = max(server_now_at_least(client) or last.at, datetime.now(UTC))
    if within_s <= 0 or now - last.at > ACTED_WITHIN:
        return found

    async def acted_since() -> bool:
        return any(act.at > last.at for act in await unlisted_acts())

    await asyncio.sleep(LOOK_EVERY_S)  # the first look was just taken
    try:
        return None if await look_again(client, task_queue, within_s - LOOK_EVERY_S, acted_since) else found
    except PollersUnknown:
        return None


def last_act_said(act: Act) -> str:
    """The last act on a run no worker serves, of a worker the server does not list."""
    return f"worker {act.identity}, not listed, {act.what} at {act.at:%Y-%m-%d %H:%M:%S} UTC: none since"
