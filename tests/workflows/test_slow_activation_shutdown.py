"""An activation past the SDK's deadlock detector (2 s of wall time: a loaded machine made the product's so) fails
its workflow task and has the run evicted while the slow activation's thread still runs the instance
(orchestra/deadlocked_evictions.py). The eviction must not fail (the SDK retried a failed one for ever, and the worker
could then never shut down), the run must go on (its task retried), and the worker must shut down."""

from __future__ import annotations

import asyncio
import logging
import uuid
from pathlib import Path
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHandle
from temporalio.worker import Worker

from orchestra.deadlocked_evictions import KEPT
from tests.helpers import settings_for, until
from tests.task_retries import RETRIED_AFTER
from tests.workflows.slow_activation import SLOW
from tests.workflows.slow_workflow import RefusesEviction, SlowActivationOnce
from worker import create_worker

HUNG_S = 180  # generous: only a worker that never stops, or a run that never goes on, reaches it
# What the SDK logs when an eviction raised (it then retries it every 2 s, for ever if it keeps failing), and when a
# worker shuts down with such an eviction left. An eviction that only timed out (slow under load) is not one.
TROUBLE = ("Failed running eviction job", "could not be evicted")


async def _has(handle: WorkflowHandle[Any, Any], event_type: EventType.ValueType) -> bool:
    return event_type in [e.event_type async for e in handle.fetch_history_events()]


async def _stopped(worker: Worker, runner: asyncio.Task[None]) -> bool:
    try:
        await asyncio.wait_for(worker.shutdown(), HUNG_S)
        await asyncio.wait_for(runner, HUNG_S)
    except TimeoutError:
        return False
    return True


async def test_a_run_whose_activation_deadlocked_goes_on_and_its_worker_shuts_down(
    client: Client, task_queue: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="temporalio.worker")
    worker = create_worker(client, settings_for(task_queue, tmp_path / "ws"), extra_workflows=[SlowActivationOnce])
    runner = asyncio.create_task(worker.run())
    try:
        handle = await client.start_workflow(
            SlowActivationOnce.run,
            id=f"slow-{uuid.uuid4().hex[:8]}",
            task_queue=task_queue,
            task_timeout=RETRIED_AFTER,
        )
        SLOW.arm()
        await handle.signal(SlowActivationOnce.slow)
        # Its task failed as a deadlock (the slow signal handler), then retried on a new instance: the handler, armed
        # once, returns at once there.
        assert await asyncio.wait_for(handle.result(), HUNG_S) == "done"
        failed = [e async for e in handle.fetch_history_events() if e.HasField("workflow_task_failed_event_attributes")]
        assert "deadlock" in failed[0].workflow_task_failed_event_attributes.failure.message
    finally:
        stopped = await _stopped(worker, runner)
    trouble = [r.getMessage()[:300] for r in caplog.records if any(t in r.getMessage() for t in TROUBLE)]
    assert stopped and not trouble, trouble


async def test_a_run_whose_eviction_keeps_failing_goes_on_and_its_worker_shuts_down(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    kept = len(KEPT)
    # No cache: the run is evicted after each activation, the first time while it waits (its eviction fails).
    worker = create_worker(
        client, settings_for(task_queue, tmp_path / "ws"), extra_workflows=[RefusesEviction], max_cached_workflows=0
    )
    runner = asyncio.create_task(worker.run())
    try:
        handle = await client.start_workflow(
            RefusesEviction.run, id=f"refuses-{uuid.uuid4().hex[:8]}", task_queue=task_queue
        )
        await until(lambda: _has(handle, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED))  # then evicted: it fails
        await handle.signal(RefusesEviction.finish)
        assert await asyncio.wait_for(handle.result(), HUNG_S) == "done"
    finally:
        stopped = await _stopped(worker, runner)
    assert stopped and len(KEPT) > kept  # its first instance, kept rather than evicted again for ever
