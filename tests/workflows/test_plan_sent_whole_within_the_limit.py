"""A chain's first hand-over whose store of the plan's pieces fails, on a worker storing less than the plan's size.

Found hanging: workflows/plan_pieces.by_reference fell back to sending the request whole to the next run when the
store failed; on a worker whose limit the plan is over (ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES lower than the client's),
that worker's store refused the continue-as-new's input while encoding the task's completion, and the workflow task
failed again and again, nothing recorded. Now the fallback is measured first: over the limit, the run ends ERROR
saying why, its record with the steps it finished.

The store is this test's (registered under the same name, as tests/workflows/test_chain_handover.py does): it fails
for the plan's steps once the hand-over stored the run's own. The plan is started by reference, cut by a starter whose room is below
the plan (CLIENT_LIMIT): a request its starter stored whole is found again by the store, which does not measure a value
it holds, and sent on whole it was taken; the request read back from its pieces is stored anew, and refused."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from temporalio import activity
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ApplicationError

from activities.values import ValueActivities
from orchestra.calls import RunRequest
from orchestra.limits import payload_size
from orchestra.plan import parse_plan
from orchestra.plan_chain import first_run_args
from orchestra.plan_start import by_reference
from orchestra.record import ExecutionRecord
from orchestra.settings import Settings
from orchestra.storage.stored import StoredValue
from tests.helpers import settings_for
from tests.storage.conftest import client_with
from tests.workflows.test_worker_limit_below_the_clients import LIMIT, _ended, _plan
from worker import create_worker
from workflows.orchestration import OrchestrationWorkflow

CLIENT_LIMIT = 200_000  # the starter's: over the worker's, under the plan's size, so the plan is cut as it starts
_store = ValueActivities.store_values
_handed: set[str] = set()  # workflow ids whose hand-over stored the run's own steps


def _of_steps(values: list[Any], key: str) -> bool:
    return any(isinstance(v, list) and v and isinstance(v[0], dict) and key in v[0] for v in values)


@activity.defn(name="store_values")
async def store_failing_for_the_plan(self: ValueActivities, values: list[Any]) -> list[StoredValue] | None:
    workflow_id = activity.info().workflow_id or ""
    if _of_steps(values, "node_id"):  # a chunk of step records: the hand-over's own
        _handed.add(workflow_id)
    elif workflow_id in _handed and _of_steps(values, "tool"):  # the plan's steps, for the next run
        raise ApplicationError("the store is down", non_retryable=True)
    return await _store(self, values)


async def test_a_plan_not_stored_for_the_next_run_and_over_the_limit_whole_ends_the_run_recorded(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ValueActivities, "store_values", store_failing_for_the_plan)
    request = RunRequest(plan=parse_plan(_plan(True)))
    assert LIMIT < CLIENT_LIMIT < payload_size(request)
    workflow_id = f"test-{uuid.uuid4()}"
    cut = storage_settings.model_copy(update={"storage_max_payload_bytes": CLIENT_LIMIT})
    request = await by_reference(client, request, workflow_id, cut)
    assert request.steps_stored, "started with its first piece, the others stored"
    small = settings_for(task_queue, tmp_path).model_copy(update={"storage_max_payload_bytes": LIMIT})
    worker_client = client_with(client, storage_settings.model_copy(update={"storage_max_payload_bytes": LIMIT}))
    async with create_worker(worker_client, small):
        await client.start_workflow(
            OrchestrationWorkflow.run, args=first_run_args(request), id=workflow_id, task_queue=task_queue
        )
        with pytest.raises(WorkflowFailureError) as failed:
            await _ended(client, workflow_id)
    details = getattr(failed.value.cause, "details", ())
    assert details, f"the run failed unrecorded: {failed.value.cause}"
    record = ExecutionRecord.model_validate(details[0])
    assert record.state.value == "error" and record.error is not None, record
    message = record.error.message
    assert "could not hand the plan over to the next run" in message and "the store is down" in message, message
    assert f"{LIMIT:,} bytes" in message and "the run's record is" not in message, message
    assert len(record.runs) == 1 and record.metrics.completed > 0, record.metrics
