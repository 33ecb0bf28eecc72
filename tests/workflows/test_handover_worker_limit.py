"""A chain's hand-overs are measured against the value limit of the worker storing them. The limit was the one the
chain's first run read when it validated the plan: a worker restarted mid-chain with a smaller store
(ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES) stored a chunk over its own limit as one value, which a store that small
refuses (its workflow task retried for ever). Here the second worker's store takes the chunk anyway (the client's is
the default), so the chain ends either way and what it stored shows which limit was applied."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from temporalio.client import Client

from orchestra.control import PauseRequest
from orchestra.registry import default_registry
from tests.control_support import gate
from tests.helpers import record_of, settings_for, start_plan, until
from tests.workflows.test_handover_in_pieces import HANG_CHECK_S
from worker import create_worker
from workflows.orchestration import OrchestrationWorkflow

SMALLER = 16_000  # the restarted worker's limit; a run's chunk (some 60 steps of 430 bytes) is over it


def _plan(url: str) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = [{"id": f"s{i:03}", "tool": "sleep", "args": {"seconds": 0}} for i in range(200)]
    held = {"id": "held", "tool": "http_request", "args": {"url": url}, "retry": {"max_attempts": 1}}
    return {"name": "worker-limit", "max_parallel": 20, "history_events_per_run": 200, "nodes": [held, *nodes]}


async def test_a_worker_restarted_with_a_smaller_limit_stores_the_next_hand_overs_in_pieces_that_fit_it(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    with gate() as (url, released):
        async with create_worker(client, settings_for(task_queue, tmp_path), default_registry()):
            handle = await start_plan(client, task_queue, _plan(url))
            # The first run fills its history while "held" runs, and waits for it alone to hand over; paused, it
            # hands over once "held" ends, and the second run waits for the next worker.
            await until(lambda: record_of(handle), lambda r: r.metrics.running == 1 and r.metrics.completed >= 30)
            await handle.execute_update(OrchestrationWorkflow.pause_run, PauseRequest(reason="restart the worker"))
            released.set()
            await until(lambda: record_of(handle), lambda r: len(r.runs) >= 2)
        smaller = settings_for(task_queue, tmp_path).model_copy(update={"storage_max_payload_bytes": SMALLER})
        async with create_worker(client, smaller, default_registry()):
            await handle.execute_update(OrchestrationWorkflow.resume_run)
            # The second run's hand-over is the new worker's (the last run's record is over its limit: not waited).
            await until(lambda: record_of(handle), lambda r: len(r.runs) >= 3, within=HANG_CHECK_S)
            await handle.cancel()
            record = await record_of(handle)
    later = [chunk for chunk in record.earlier if chunk.run_index >= 1]
    sizes = [(c.run_index, c.stored.bytes if c.stored else None) for c in record.earlier]
    assert later and all(c.stored is not None and c.stored.bytes <= SMALLER for c in later), sizes
    assert len({c.run_index for c in later}) < len(later), f"a later run's chunk was cut: {sizes}"
