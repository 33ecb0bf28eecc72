"""An activation that never ends (a workflow bug swallowing the SDK's deadlock interruption) holds one workflow
thread however often its run's task is retried (orchestra/deadlocked_evictions.py): each retry replayed into the same
endless code on a new instance took another, and a worker of few threads stopped serving its other runs."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from temporalio.client import Client, WorkflowHandle

from tests.helpers import settings_for, until
from tests.task_retries import RETRIED_AFTER
from tests.workflows.endless_activation import ENDLESS
from tests.workflows.slow_workflow import SlowActivationOnce
from worker import create_worker

HUNG_S = 240  # generous: only a worker whose threads are all taken, or one that never stops, reaches it
THREADS = 3  # the worker's workflow threads: fewer retries than that to take them all


async def _task_attempt(handle: WorkflowHandle[SlowActivationOnce, str]) -> int:
    described = await handle.describe()
    return described.raw_description.pending_workflow_task.attempt


async def test_a_run_whose_activation_never_ends_holds_one_thread_across_its_retries(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    ENDLESS.released.clear()
    worker = create_worker(
        client,
        settings_for(task_queue, tmp_path / "ws"),
        extra_workflows=[SlowActivationOnce],
        max_concurrent_workflow_tasks=THREADS,
    )
    runner = asyncio.create_task(worker.run())
    try:
        stuck = await client.start_workflow(
            SlowActivationOnce.run,
            id=f"endless-{uuid.uuid4().hex[:8]}",
            task_queue=task_queue,
            task_timeout=RETRIED_AFTER,
        )
        await stuck.signal(SlowActivationOnce.spin)
        # Retried past the worker's thread count while its first activation still loops.
        await until(lambda: _task_attempt(stuck), lambda attempt: attempt > THREADS, within=HUNG_S)
        assert ENDLESS.inside == 1
        healthy = await client.start_workflow(
            SlowActivationOnce.run, id=f"healthy-{uuid.uuid4().hex[:8]}", task_queue=task_queue
        )
        await healthy.signal(SlowActivationOnce.slow)
        assert await asyncio.wait_for(healthy.result(), HUNG_S) == "done"
        ENDLESS.released.set()
        # Released, the stuck run goes on: its retried task replays the signal, which now returns.
        await stuck.signal(SlowActivationOnce.slow)
        assert await asyncio.wait_for(stuck.result(), HUNG_S) == "done"
    finally:
        ENDLESS.released.set()
        await asyncio.wait_for(worker.shutdown(), HUNG_S)
        await asyncio.wait_for(runner, HUNG_S)
