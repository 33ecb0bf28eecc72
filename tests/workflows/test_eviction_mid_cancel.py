"""A run evicted from the worker's cache must let the eviction finish: a coroutine that refused to end on eviction (a
`finally` or `except BaseException` that awaits or loops) keeps the SDK retrying the eviction every 2 s for ever
("Failed/Timed out running eviction job"), and the worker never shuts down (it waits for its activations). A worker's
shutdown once hung so in tests/workflows/test_noted_step_cut.py (a cancelled run). Evicted here after every activation
(no cache) while it is cancelled, its steps asked to stop, one still running. (A worker's shutdown does not evict the
runs it holds: a run evicted earlier, as after an activation timed out as a deadlock, is what a shutdown waits on.)"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.worker import Worker

from orchestra.record import ExecutionRecord
from tests.control_support import gate_server
from tests.helpers import settings_for, start_plan, until
from worker import create_worker

WITHIN_S = 180  # generous: only an eviction that never ends fails it


def _plan(url: str) -> dict[str, Any]:
    """A step held open, steps waiting on it, others finished, and undos to note (a cancel runs none)."""
    nodes: list[dict[str, Any]] = [
        {"id": "hold", "tool": "http_request", "args": {"url": url}},
        *({"id": f"quick{i}", "tool": "sleep", "args": {"seconds": 0}} for i in range(3)),
        *({"id": f"after{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["hold"]} for i in range(5)),
    ]
    return {"name": "evicted", "compensate_on_failure": True, "nodes": nodes}


async def _shut_down(worker: Worker, runner: asyncio.Task[None]) -> bool:
    try:
        await asyncio.wait_for(worker.shutdown(), WITHIN_S)
        await asyncio.wait_for(runner, WITHIN_S)
    except TimeoutError:
        return False
    return True


def _eviction_trouble(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage()[:300] for r in caplog.records if "eviction" in r.getMessage()]


async def test_a_run_evicted_after_every_activation_while_cancelling_ends_and_lets_the_worker_go(
    client: Client, task_queue: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="temporalio.worker")
    with gate_server() as held:
        worker = create_worker(client, settings_for(task_queue, tmp_path / "workspace"), max_cached_workflows=0)
        runner = asyncio.create_task(worker.run())
        try:
            handle = await start_plan(client, task_queue, _plan(held.url))
            await until(
                lambda: handle.query("record", result_type=ExecutionRecord),
                lambda r: r.metrics.completed >= 3 and held.reached.is_set(),
            )
            await handle.cancel()
            held.open.set()
            with pytest.raises(WorkflowFailureError):
                await asyncio.wait_for(handle.result(), WITHIN_S)
        finally:
            held.open.set()
            stopped = await _shut_down(worker, runner)
    assert stopped and not _eviction_trouble(caplog), _eviction_trouble(caplog)
