"""The embedded dev server lets a wide run's events wait while one of its workflow tasks runs long.

Events that arrive while a workflow task runs are buffered; past the server's limit
(``history.maximumBufferedEventsBatch``, 100 by default) the server fails that task
(FORCE_CLOSE_COMMAND) and it runs again. Here a task is held open by a local activity (a step with
``local: true`` runs inside the workflow task) while 80 steps started before it complete: 160 events
arrive during that one task. The suite's dev server starts with the embedded stack's arguments
(``orchestra.cli.stack.DEV_SERVER_CONFIG``)."""

from __future__ import annotations

from temporalio.api.enums.v1 import EventType, WorkflowTaskFailedCause
from temporalio.client import Client

from orchestra.record import AgentState, ExecutionRecord
from tests.helpers import start_plan, worker_for

WIDTH = 80


async def test_a_wide_run_finishes_with_no_failed_workflow_task(client: Client, task_queue: str, tmp_path) -> None:
    plan = {
        "name": "wide",
        "max_parallel": WIDTH + 2,
        "nodes": [
            {"id": "first", "tool": "sleep", "args": {"seconds": 0}},
            # Runs in the workflow task that the completion of `first` starts, and holds it open while
            # the wide steps (each a little longer than `first`) complete.
            {
                "id": "hold",
                "tool": "sleep",
                "args": {"seconds": 3},
                "local": True,
                "timeout_s": 30,
                "depends_on": ["first"],
            },
            *({"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0.5}} for i in range(WIDTH)),
        ],
    }
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, plan)
        record = ExecutionRecord.model_validate(await handle.result())
    assert record.state == AgentState.COMPLETED
    failed = [
        WorkflowTaskFailedCause.Name(event.workflow_task_failed_event_attributes.cause)
        async for event in handle.fetch_history_events()
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED
    ]
    assert not failed, f"workflow tasks failed: {failed}"
