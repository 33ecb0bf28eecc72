"""How to start a worker that serves a run's task queue: said once, for every command that finds none polling it.

`python client.py up` runs the worker of the command's own task queue (ORCHESTRA_TASK_QUEUE, --task-queue), and says
"already running" when that one runs: told to a run of another queue, it started nothing that serves the run, and the
worker the user had started read as none at all. A run of another queue is told how to start a worker of that queue,
with the workers polling the command's own named.
"""

from __future__ import annotations

from temporalio.client import Client

from orchestra.cli.workers_seen import PollersUnknown, seen
from orchestra.shown_ids import argument


async def how_to_serve(client: Client, own_task_queue: str, task_queue: str) -> str:
    """What starts a worker polling ``task_queue``, for a command whose own task queue is ``own_task_queue``."""
    if task_queue == own_task_queue:
        return "start a worker (`python client.py up`)"
    # Not `up --task-queue`: `up` runs one worker, and says "already running" of the other queue's.
    start = f"start a worker of that queue (`ORCHESTRA_TASK_QUEUE={argument(task_queue)} python worker.py`)"
    try:
        polling = (await seen(client, client.namespace, own_task_queue)).polling
    except PollersUnknown:
        return start
    if polling:
        return f"{polling} worker(s) poll task queue {own_task_queue!r} (this command's) but not the run's: {start}"
    return start
