"""A plan that reaches the workflow invalid (no client-side check) fails before any step runs."""

from __future__ import annotations

import uuid

import pytest
from temporalio.client import WorkflowFailureError
from temporalio.exceptions import ApplicationError

from orchestra.calls import RunRequest
from orchestra.plan import Plan
from tests.helpers import worker_for
from workflows.orchestration import OrchestrationWorkflow

INVALID = {
    "unknown tool": {"nodes": [{"id": "a", "tool": "teleport"}]},
    "schema": {"nodes": [{"id": "a", "tool": "sleep", "args": {"seconds": "soon"}}]},
    "reference": {"nodes": [{"id": "a", "tool": "read_file", "args": {"path": "${ghost.output}"}}]},
    "cycle": {"nodes": [{"id": "a", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["b"]},
                        {"id": "b", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["a"]}]},
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(INVALID))
async def test_invalid_plan_fails_before_any_step(client, task_queue, tmp_path, case):
    plan = Plan.model_validate(INVALID[case])  # structurally fine; only the registry can tell
    async with worker_for(client, task_queue, tmp_path):
        handle = await client.start_workflow(
            OrchestrationWorkflow.run, RunRequest(plan=plan), id=f"reject-{uuid.uuid4()}", task_queue=task_queue
        )
        with pytest.raises(WorkflowFailureError) as failure:
            await handle.result()
        cause = failure.value.cause
        assert isinstance(cause, ApplicationError) and cause.type == "validation"
        assert "node 'a'" in cause.message
        history = await handle.fetch_history()
        scheduled = [e for e in history.events if e.HasField("activity_task_scheduled_event_attributes")]
        assert scheduled == [], "no tool activity may start for an invalid plan"
