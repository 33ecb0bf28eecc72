"""A chain's hand-overs are measured against the value limit of the worker storing them. The limit was the one the
chain's first run read when it validated the plan: a worker restarted mid-chain with a smaller store
(ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES) stored a chunk over its own limit as one value, and sent a carry over it, which
a store that small refuses (its workflow task retried for ever). Here the second worker's store takes them anyway
(the client's is the default), so what the chain stored, or how it ended, shows which limit was applied."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from temporalio.client import Client, WorkflowFailureError, WorkflowHandle
from temporalio.exceptions import ApplicationError

from orchestra.control import PauseRequest
from orchestra.record import ExecutionRecord
from orchestra.registry import default_registry
from tests.control_support import gate
from tests.helpers import record_of, settings_for, start_plan, until
from tests.workflows.test_handover_in_pieces import HANG_CHECK_S
from worker import create_worker
from workflows.orchestration import OrchestrationWorkflow

SMALLER = 16_000  # the restarted worker's limit; a run's chunk (some 60 steps of 430 bytes) is over it
T = TypeVar("T")


def _plan(url: str, id_chars: int) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = [
        {"id": f"s{i:03}" + "x" * (id_chars - 4), "tool": "sleep", "args": {"seconds": 0}} for i in range(200)
    ]
    held = {"id": "held", "tool": "http_request", "args": {"url": url}, "retry": {"max_attempts": 1}}
    return {"name": "worker-limit", "max_parallel": 20, "history_events_per_run": 200, "nodes": [held, *nodes]}


async def _on_a_smaller_worker(
    client: Client,
    task_queue: str,
    tmp_path: Path,
    plan: Callable[[str], dict[str, Any]],
    then: Callable[[WorkflowHandle[Any, Any]], Awaitable[T]],
    finished_first: int = 30,
) -> T:
    """The chain's first run on a worker of the default limit, the runs after on one of SMALLER: ``then`` once they
    go on there. ``plan`` of the gate's URL: a step "held" at it, and others the first run finishes (at least
    ``finished_first``) while it is held, filling its history."""
    with gate() as (url, released):
        async with create_worker(client, settings_for(task_queue, tmp_path), default_registry()):
            handle = await start_plan(client, task_queue, plan(url))
            # The first run fills its history while "held" runs, and waits for it alone to hand over; paused, it
            # hands over once "held" ends, and the second run (started here, with this worker's limit) waits for
            # the next worker.
            await until(
                lambda: record_of(handle), lambda r: r.metrics.running == 1 and r.metrics.completed >= finished_first
            )
            await handle.execute_update(OrchestrationWorkflow.pause_run, PauseRequest(reason="restart the worker"))
            released.set()
            await until(lambda: record_of(handle), lambda r: len(r.runs) >= 2)
        smaller = settings_for(task_queue, tmp_path).model_copy(update={"storage_max_payload_bytes": SMALLER})
        async with create_worker(client, smaller, default_registry()):
            await handle.execute_update(OrchestrationWorkflow.resume_run)
            return await then(handle)


async def test_a_worker_restarted_with_a_smaller_limit_stores_the_next_hand_overs_in_pieces_that_fit_it(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    async def second_hand_over(handle: WorkflowHandle[Any, Any]) -> Any:
        # The second run's hand-over is the new worker's (the last run's record is over its limit: not waited).
        await until(lambda: record_of(handle), lambda r: len(r.runs) >= 3, within=HANG_CHECK_S)
        await handle.cancel()
        return await record_of(handle)

    record = await _on_a_smaller_worker(client, task_queue, tmp_path, lambda url: _plan(url, 4), second_hand_over)
    later = [chunk for chunk in record.earlier if chunk.run_index >= 1]
    sizes = [(c.run_index, c.stored.bytes if c.stored else None) for c in record.earlier]
    assert later and all(c.stored is not None and c.stored.bytes <= SMALLER for c in later), sizes
    assert len({c.run_index for c in later}) < len(later), f"a later run's chunk was cut: {sizes}"


async def test_a_carry_over_the_restarted_workers_limit_ends_the_run_saying_so(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """Ids of 150 characters: the second run's carry names some 120 steps of earlier chunks, over 16,000 bytes. The
    second run started on the first worker, so its own limit is that worker's: its hand-over's read decides."""

    async def failure(handle: WorkflowHandle[Any, Any]) -> BaseException | None:
        with pytest.raises(WorkflowFailureError) as failed:
            await asyncio.wait_for(handle.result(), HANG_CHECK_S)
        return failed.value.cause

    cause = await _on_a_smaller_worker(client, task_queue, tmp_path, lambda url: _plan(url, 150), failure)
    assert isinstance(cause, ApplicationError) and cause.type == "value_too_large", cause
    assert "what the next run of the chain gets is" in cause.message and f"is {SMALLER:,} bytes" in cause.message, cause
    runs = ExecutionRecord.model_validate(cause.details[0]).runs
    assert len(runs) == 2, f"the second run, the first on the new worker, ends: {len(runs)} runs"
