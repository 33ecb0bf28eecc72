"""A worker storing smaller values than the client that started the plan (ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES lower on
the worker): the client's check_limits passed the plan against its own limit, so the worker's is met only at run time,
where the plan's pieces, its schedule's and a hand-over's are cut to fit it. Whichever way the plan came (by value, by
reference, over a hand-over), the run must complete or end recorded: never a workflow task failing for ever.

Found failing (the workflow task failing for ever, in all 4 ways): the plan goes to the validation as its local activity's input,
whole (by value) or as the request's first piece, which the client cut within its own limit (by reference, StoredPlan's
``first``): a payload of the workflow task's completion of 250 KB here, which the worker's store refuses ("Failed
encoding completion: StoredPayloadTooLarge"), and the first task fails, again and again, before anything is recorded. Now the run measures that input before sending it
(workflows/validation_input.py): over the worker's room, it stores the plan in pieces that fit and validates it by
reference; and a hand-over stores the plan in calls that fit (two pieces cut to the room were one call over it)."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError

from orchestra.calls import RunRequest
from orchestra.limits import payload_size
from orchestra.plan import parse_plan
from orchestra.plan_chain import first_run_args
from orchestra.plan_start import by_reference
from orchestra.record import ExecutionRecord
from orchestra.settings import Settings
from tests.control_support import describe_raw
from tests.helpers import settings_for
from tests.storage.conftest import client_with
from tests.workflows.test_handover_in_pieces import HANG_CHECK_S
from worker import create_worker
from workflows.orchestration import OrchestrationWorkflow

LIMIT = 120_000  # the worker's; the plan (some 300 KB) and its schedule are over it, the client's default is not
LEAVES, JOINS = 40, 40
TASK_FAILING = 3  # attempts of a workflow task: failing as it will for ever


def _plan(hands_over: bool) -> dict[str, Any]:
    leaves = [{"id": f"leaf{i:03}" + "x" * 140, "tool": "sleep", "args": {"seconds": 0}} for i in range(LEAVES)]
    joins = [
        {"id": f"join{j:03}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [n["id"] for n in leaves]}
        for j in range(JOINS)
    ]
    events = {"history_events_per_run": 120} if hands_over else {}
    return {"name": "worker-limit-below", "max_parallel": 8, **events, "nodes": [*leaves, *joins]}


async def _ended(client: Client, workflow_id: str) -> Any:
    """The run's result, or AssertionError as soon as its workflow task is seen failing again and again."""
    result = asyncio.ensure_future(client.get_workflow_handle(workflow_id).result())
    try:
        async with asyncio.timeout(HANG_CHECK_S):
            while not result.done():
                attempt = (await describe_raw(client, workflow_id)).pending_workflow_task.attempt
                assert attempt < TASK_FAILING, f"the run's workflow task failed {attempt - 1} times: it hangs"
                await asyncio.wait([result], timeout=1)
        return result.result()
    finally:
        result.cancel()


async def _run_on_the_small_worker(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path, plan: dict[str, Any], reference: bool
) -> ExecutionRecord:
    """The plan's run on a worker storing at most LIMIT bytes a value, started by a client at its default limit: its
    record, completed or (the run failed) as its failure carries it."""
    request = RunRequest(plan=parse_plan(plan))
    assert LIMIT < payload_size(request) < storage_settings.largest_value()[0]
    workflow_id = f"test-{uuid.uuid4()}"
    if reference:
        request = await by_reference(client, request, workflow_id, storage_settings)
    small = settings_for(task_queue, tmp_path).model_copy(update={"storage_max_payload_bytes": LIMIT})
    worker_client = client_with(client, storage_settings.model_copy(update={"storage_max_payload_bytes": LIMIT}))
    async with create_worker(worker_client, small):
        handle = await client.start_workflow(
            OrchestrationWorkflow.run, args=first_run_args(request), id=workflow_id, task_queue=task_queue
        )
        try:
            return ExecutionRecord.model_validate(await _ended(client, handle.id))
        except WorkflowFailureError as failure:
            details = getattr(failure.cause, "details", ())
            assert details, f"the run failed unrecorded: {failure.cause}"
            return ExecutionRecord.model_validate(details[0])


@pytest.mark.parametrize("way", ["by value", "by reference", "by value, handing over", "by reference, handing over"])
async def test_a_run_on_a_worker_of_a_smaller_limit_than_the_clients_runs_every_step(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path, way: str
) -> None:
    """The run stores the plan itself in pieces that fit the worker's store, validates it by reference, and runs it."""
    plan = _plan("handing over" in way)
    record = await _run_on_the_small_worker(
        client, storage_settings, task_queue, tmp_path, plan, way.startswith("by reference")
    )
    assert record.metrics.completed == LEAVES + JOINS, record.error
    assert record.metrics.tool_call_count == LEAVES + JOINS, "a step done before ran again"
    # Every step ran; the record listing them all (some 280 KB) is over the worker's limit too, and the run says so.
    over = record.error is not None and "every step completed; but the run's record is" in record.error.message
    assert record.state.value == "completed" or over, record.error


async def test_a_step_over_the_workers_limit_ends_the_run_recorded_naming_the_limits(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    """A step alone over the worker's room cannot be stored in pieces: the run ends said, before any step ran."""
    plan = {
        "name": "one-large-step",
        "nodes": [{"id": "large", "tool": "sleep", "args": {"seconds": 0, "why": "x" * 130_000}}],
    }
    record = await _run_on_the_small_worker(client, storage_settings, task_queue, tmp_path, plan, reference=False)
    assert record.state.value == "error" and record.error is not None, record
    message = record.error.message
    assert f"{LIMIT:,} bytes" in message and "below the limit of the client" in message, message
    assert "ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES" in message and "'large'" in message, message
    assert record.metrics.tool_call_count == 0
