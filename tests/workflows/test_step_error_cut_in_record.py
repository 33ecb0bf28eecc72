"""A step whose record cannot fit the worker's store alone (its tool's error message of 12 KB under an 8,192-byte
limit) has its error message cut, saying how much, and every step of the ended record is stored
(workflows/step_errors_cut.py). Found by attack375: the store gave up on every step, the run's record listed none
(`status` said "no steps yet" of an ended run), and the run's error copied the step's 12 KB message whole."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowFailureError

from orchestra.calls import RunRequest
from orchestra.plan import parse_plan
from orchestra.plan_chain import first_run_args
from orchestra.record import ExecutionRecord, StepState
from orchestra.settings import Settings
from orchestra.storage.step_chunks import chunk_steps
from tests.helpers import settings_for
from tests.storage.conftest import client_with
from tests.workflows.test_worker_limit_below_the_clients import _ended
from worker import create_worker
from workflows.orchestration import OrchestrationWorkflow
from workflows.step_errors_cut import RUN_MESSAGE_CHARS

LIMIT = 8192  # the least a worker may store
# JMESPath's error repeats the expression, repr and raw: 1,100 control characters make an error of some 12 KB.
PLAN = {
    "name": "step-error-over-the-room",
    "nodes": [
        {"id": "small", "tool": "sleep", "args": {"seconds": 0}},
        {"id": "make", "tool": "render_template", "args": {"template": "{{ a }}{{ a }}", "values": {"a": "\x01" * 550}}},
        {"id": "big", "tool": "json_query", "depends_on": ["make"], "args": {"expression": "${make.output.text}", "data": {}}},
    ],
}  # fmt: skip


async def test_a_step_error_over_the_room_is_cut_and_every_step_stored(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    small = settings_for(task_queue, tmp_path).model_copy(update={"storage_max_payload_bytes": LIMIT})
    worker_client = client_with(client, storage_settings.model_copy(update={"storage_max_payload_bytes": LIMIT}))
    workflow_id = f"test-{uuid.uuid4()}"
    async with create_worker(worker_client, small):
        await client.start_workflow(
            OrchestrationWorkflow.run,
            args=first_run_args(RunRequest(plan=parse_plan(PLAN))),
            id=workflow_id,
            task_queue=task_queue,
        )
        with pytest.raises(WorkflowFailureError) as failed:
            await _ended(client, workflow_id)
    cause = failed.value.cause
    assert getattr(cause, "type", None) == "PlanFailed", cause
    record = ExecutionRecord.model_validate(cause.details[0])  # type: ignore[attr-defined]
    steps = list(record.steps)
    for chunk in record.earlier:
        steps += await chunk_steps(client.data_converter, chunk)
    states = {s.node_id: s.state for s in steps}
    assert states == {"small": StepState.COMPLETED, "make": StepState.COMPLETED, "big": StepState.ERROR}, states
    big = next(s for s in steps if s.node_id == "big")
    assert big.error is not None and "more characters cut" in big.error.message, big.error
    assert record.error is not None and len(record.error.message) < RUN_MESSAGE_CHARS + 200
