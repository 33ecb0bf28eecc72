"""A run of a chain that starts after the chain's deadline starts nothing: its first workflow task can come
late (no worker polled while the deadline passed, or an operator reset the run), and the deadline timer it
then sets is 1 ms long. Until that timer fired, the run started the steps that were ready after the
deadline. Here an operator's reset of the chain's last run to its first workflow task makes that run start
again well past the deadline; and so does a reset of a chain's first run, which counted the deadline from
its own clock, so that the reset run had a whole new deadline and ran every step again."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from pathlib import Path

import pytest
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.enums.v1 import EventType
from temporalio.api.workflowservice.v1 import ResetWorkflowExecutionRequest
from temporalio.client import Client, WorkflowFailureError
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.exceptions import ApplicationError

from orchestra.errors import ErrorKind
from orchestra.replayers import replayer_without_deadline
from tests.clock_warp import read_later
from tests.helpers import start_plan, worker_for
from worker import workflow_runner
from workflows.orchestration import OrchestrationWorkflow

TIMEOUT_S = 4
PLAN = {
    "name": "late",
    "timeout_s": TIMEOUT_S,
    "history_events_per_run": 10,
    "nodes": [
        {"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, **({"depends_on": [f"s{i - 1}"]} if i else {})}
        for i in range(12)
    ],
}
# One run: a step, then three that the reset run would start again.
SHORT_PLAN = {
    "name": "first",
    "timeout_s": TIMEOUT_S,
    "nodes": [{"id": "gate", "tool": "sleep", "args": {"seconds": 0}},
              *({"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["gate"]} for i in range(3))],
}  # fmt: skip


async def reset_to_its_first_task(client: Client, workflow_id: str, run_id: str) -> str:
    """As `temporal workflow reset --type FirstWorkflowTask` does: the run's id after the reset."""
    handle = client.get_workflow_handle(workflow_id, run_id=run_id)
    events = [e async for e in handle.fetch_history_events()]
    first_task = next(e.event_id for e in events if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
    reset = await client.workflow_service.reset_workflow_execution(
        ResetWorkflowExecutionRequest(
            namespace=client.namespace,
            workflow_execution=WorkflowExecution(workflow_id=workflow_id, run_id=run_id),
            reason="a run of the chain started again past the deadline",
            workflow_task_finish_event_id=first_task,
            request_id=str(uuid.uuid4()),
        )
    )
    return reset.run_id


async def test_a_chain_run_started_past_the_deadline_starts_no_step(client: Client, task_queue: str, tmp_path: Path):
    await started_again_past_the_deadline(client, task_queue, tmp_path, PLAN, last_run=True)


async def test_a_reset_of_the_chains_first_run_keeps_its_deadline(client: Client, task_queue: str, tmp_path: Path):
    await started_again_past_the_deadline(client, task_queue, tmp_path, SHORT_PLAN, last_run=False)


async def started_again_past_the_deadline(
    client: Client, task_queue: str, tmp_path: Path, plan: dict[str, object], last_run: bool
) -> None:
    """Run ``plan``, wait past its deadline, reset one of its runs (the chain's last or its first) to that
    run's first workflow task: the run started again must fail by the deadline, starting no step."""
    async with worker_for(client, task_queue, tmp_path):
        began = time.monotonic()
        handle = await start_plan(client, task_queue, plan)
        with contextlib.suppress(WorkflowFailureError):  # completed or stopped by the deadline: a chain either way
            await handle.result()
        # The chain's deadline is now a second past at least: the run itself often took longer than it.
        await asyncio.sleep(max(0.0, began + TIMEOUT_S + 1 - time.monotonic()))
        run_id = (await handle.describe()).run_id if last_run else handle.first_execution_run_id
        assert run_id is not None
        if last_run:
            first_event = await anext(
                aiter(client.get_workflow_handle(handle.id, run_id=run_id).fetch_history_events())
            )
            started = first_event.workflow_execution_started_event_attributes
            assert started.continued_execution_run_id, "the chain's last run was not continued from another"
        late = client.get_workflow_handle(handle.id, run_id=await reset_to_its_first_task(client, handle.id, run_id))
        with pytest.raises(WorkflowFailureError) as failure:
            await late.result()
        history = await late.fetch_history()
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == ErrorKind.TIMEOUT, cause
    scheduled = [e for e in history.events if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED]
    assert not scheduled, f"{len(scheduled)} step(s) started after the deadline"
    replayer = replayer_without_deadline(
        workflows=[OrchestrationWorkflow], data_converter=pydantic_data_converter, workflow_runner=workflow_runner()
    )
    for name, replayed in (("as recorded", history), ("read an hour later", read_later(history))):
        result = await replayer.replay_workflow(replayed, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{name}: {result.replay_failure}"
