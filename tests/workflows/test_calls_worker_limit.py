"""A step's call and a run's record are measured against the value limit of the worker sending them. They were
measured against the limit the run read when it started: a worker restarted mid-run with a smaller store
(ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES) sent a 40 KB call, or the run's 60 KB record, to a store that refuses it, and
its workflow task was retried for ever (the run never ended). Now the step fails, or the run, naming the limit."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError, WorkflowHandle
from temporalio.exceptions import ApplicationError

from orchestra.control import PauseRequest
from orchestra.record import ExecutionRecord, StepState
from orchestra.registry import default_registry
from orchestra.settings import Settings
from tests.control_support import gate
from tests.helpers import record_of, settings_for, start_plan, until
from tests.workflows.test_handover_in_pieces import HANG_CHECK_S
from tests.workflows.test_too_large_to_store import bounded
from worker import create_worker
from workflows.orchestration import OrchestrationWorkflow

SMALLER = 16_000  # the restarted worker's limit (its store takes values from 32 KiB: the default threshold)


async def _finished_on_a_smaller_worker(
    client: Client,
    storage_settings: Settings,
    task_queue: str,
    tmp_path: Path,
    plan: dict[str, Any],
    finished_first: int = 0,
) -> tuple[BaseException | None, WorkflowHandle[Any, Any]]:
    """``plan``'s run started on a worker of the default limit, paused once ``finished_first`` of its steps are done
    and its first ("held", at the gate) finished, and resumed on a worker of SMALLER: how it ended there."""
    with gate() as (url, released):
        plan["nodes"][0]["args"]["url"] = url
        async with create_worker(client, settings_for(task_queue, tmp_path), default_registry()):
            handle = await start_plan(client, task_queue, plan)
            await until(
                lambda: record_of(handle), lambda r: r.metrics.running == 1 and r.metrics.completed >= finished_first
            )
            await handle.execute_update(OrchestrationWorkflow.pause_run, PauseRequest(reason="restart the worker"))
            released.set()
            await until(lambda: record_of(handle), lambda r: r.step("held").state == StepState.COMPLETED)
        # As a worker process restarted with ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES=16000: its client's store too.
        limited, smaller = bounded(client, storage_settings, task_queue, tmp_path, SMALLER)
        async with create_worker(limited, smaller, default_registry()):
            await handle.execute_update(OrchestrationWorkflow.resume_run)
            # A hang check only: the run ends well within it, or its workflow task is retried for ever.
            with pytest.raises(WorkflowFailureError) as failed:
                await asyncio.wait_for(handle.result(), HANG_CHECK_S)
            return failed.value.cause, handle


def _held() -> dict[str, Any]:
    return {"id": "held", "tool": "http_request", "args": {"url": ""}, "retry": {"max_attempts": 1}}


async def test_a_call_over_the_restarted_workers_limit_fails_its_step_naming_it(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    """An output of 30 KB (kept in the history: under the store's threshold), read twice by the next step: its call is
    some 60 KB, made on the restarted worker."""
    made = {"id": "made", "tool": "json_query", "args": {"data": "x" * 30_000, "expression": "@"}}
    twice = ["${made.output.result}", "${made.output.result}"]
    big = {"id": "big", "tool": "json_query", "args": {"data": twice, "expression": "length(@)"},
           "depends_on": ["held", "made"]}  # fmt: skip
    plan = {"name": "call-limit", "nodes": [_held(), made, big]}
    cause, _ = await _finished_on_a_smaller_worker(client, storage_settings, task_queue, tmp_path, plan, 1)
    assert isinstance(cause, ApplicationError) and cause.type == "PlanFailed", cause
    step = ExecutionRecord.model_validate(cause.details[0]).step("big")
    assert step.state == StepState.ERROR and step.attempts == 0 and step.error is not None, step
    assert f"is {SMALLER:,} bytes" in step.error.message and "ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES" in step.error.message


async def test_a_record_over_the_restarted_workers_limit_ends_the_run_saying_so(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    """A hundred steps with ids of 150 characters: a record of some 60 KB, over SMALLER and the threshold."""
    nodes = [{"id": f"s{i:03}" + "x" * 146, "tool": "sleep", "args": {"seconds": 0}} for i in range(100)]
    last = {"id": "last", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["held"]}  # run on the new worker
    plan = {"name": "record-limit", "max_parallel": 20, "nodes": [_held(), *nodes, last]}
    cause, _ = await _finished_on_a_smaller_worker(client, storage_settings, task_queue, tmp_path, plan, len(nodes))
    assert isinstance(cause, ApplicationError) and cause.type == "value_too_large", cause
    assert "the run's record is" in cause.message and f"is {SMALLER:,} bytes" in cause.message, cause.message
    assert "every step completed" in cause.message, cause.message


@pytest.mark.parametrize("limit", [1, 8_191])
async def test_a_worker_refuses_a_limit_under_the_smallest_at_start(
    client: Client, task_queue: str, tmp_path: Path, limit: int
) -> None:
    """Runs send values up to half the smallest limit without reading their worker's: one under it could refuse them
    (a limit of 1 byte refused every plan's schedule, the record of any run)."""
    settings = settings_for(task_queue, tmp_path).model_copy(update={"storage_max_payload_bytes": limit})
    with pytest.raises(ValueError, match=f"is {limit:,} bytes: a worker takes 8,192 at least"):
        create_worker(client, settings, default_registry())
