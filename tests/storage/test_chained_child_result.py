"""A child that continued as new files its result where its parent's folder keeps it: the parent reads that result
again on every replay, long after the server (and ``prune-payloads``) forgot the child."""

from __future__ import annotations

import shutil
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from temporalio import workflow
from temporalio.client import Client
from temporalio.exceptions import ApplicationError, ChildWorkflowError
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from orchestra.calls import RunRequest
from orchestra.plan import parse_plan
from orchestra.plan_chain import first_run_args
from orchestra.settings import Settings
from orchestra.storage.folder import segment
from tests.helpers import worker_for

BLOB = "z" * 20_000


@workflow.defn(name="ParentOfAChainedRun", sandboxed=False)
class ParentOfAChainedRun:
    """A task's shape (workflows/task.py): a parent awaiting an orchestration run as its child."""

    @workflow.run
    async def run(self, child_id: str, child_queue: str, args: list[Any]) -> str:
        record: dict[str, Any] = await workflow.execute_child_workflow(
            "OrchestrationWorkflow", args=args, id=child_id, task_queue=child_queue
        )
        return str(record["state"])


def chained_plan(hops: int, outputs: int) -> dict[str, Any]:
    """A plan whose run continues as new after a few steps (activities: a workflow task each), then makes
    ``outputs`` large outputs (local activities) in its last run: its record is stored outside the history."""
    sleeps = [
        {"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}} | ({"depends_on": [f"s{i - 1}"]} if i else {})
        for i in range(hops)
    ]
    last = f"s{hops - 1}"
    queries = [
        {"id": f"q{i}", "tool": "json_query", "args": {"data": f"{i}{BLOB}", "expression": "@"}, "depends_on": [last]}
        for i in range(outputs)
    ]
    return {"name": "chained", "history_events_per_run": 10, "nodes": [*sleeps, *queries]}


def parent_worker_on(client: Client, task_queue: str, parent: type = ParentOfAChainedRun) -> Worker:
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[parent],
        workflow_runner=UnsandboxedWorkflowRunner(),
        max_cached_workflows=0,
    )


def folder_of(settings: Settings, workflow_id: str) -> Path:
    return settings.storage_folder() / "v1" / "ns" / "default" / "wf" / segment(workflow_id)


async def test_a_chained_childs_result_outlives_the_childs_folder(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    parent_id, child_id, parent_queue = f"p-{uuid.uuid4()}", f"c-{uuid.uuid4()}", f"{task_queue}-parent"
    args = first_run_args(RunRequest(plan=parse_plan(chained_plan(4, 12))))
    async with worker_for(client, task_queue, tmp_path), parent_worker_on(client, parent_queue):
        handle = await client.start_workflow(
            ParentOfAChainedRun.run,
            args=[child_id, task_queue, args],
            id=parent_id,
            task_queue=parent_queue,
            execution_timeout=timedelta(minutes=2),
        )
        assert await handle.result() == "completed"
    history = await handle.fetch_history()
    [started] = [
        e.child_workflow_execution_started_event_attributes.workflow_execution.run_id
        for e in history.events
        if e.HasField("child_workflow_execution_started_event_attributes")
    ]
    last = (await client.get_workflow_handle(child_id).describe()).run_id
    assert last != started, "the child's run did not continue as new: nothing here is tested"
    assert list((folder_of(storage_settings, parent_id) / "for" / segment(child_id)).iterdir()), "filed for the parent"
    # What prune does once the server forgets the child: its whole folder goes. The parent is still known, and a
    # query of it (``client.py status``) replays its history on a worker that has it in no cache.
    shutil.rmtree(folder_of(storage_settings, child_id))
    async with parent_worker_on(client, parent_queue):
        assert await handle.query("__temporal_workflow_metadata") is not None


@workflow.defn(name="ParentOfAFailedRun", sandboxed=False)
class ParentOfAFailedRun:
    """A parent that reads its failed child's record, as a task reports a failed plan run."""

    @workflow.run
    async def run(self, child_id: str, child_queue: str, args: list[Any]) -> int:
        try:
            await workflow.execute_child_workflow(
                "OrchestrationWorkflow", args=args, id=child_id, task_queue=child_queue
            )
        except ChildWorkflowError as failed:
            assert isinstance(failed.cause, ApplicationError)
            record: dict[str, Any] = failed.cause.details[0]
            return len(record["steps"])
        return 0


async def test_a_failed_childs_record_outlives_the_childs_folder(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    """A failed run's failure carries its record, large here: the SDK stored it in the child's folder, first run or not."""
    parent_id, child_id, parent_queue = f"p-{uuid.uuid4()}", f"c-{uuid.uuid4()}", f"{task_queue}-parent"
    plan = chained_plan(1, 12)
    plan["nodes"].append({"id": "bad", "tool": "json_query", "args": {"data": "x", "expression": "@@(("}})
    args = first_run_args(RunRequest(plan=parse_plan(plan)))
    async with worker_for(client, task_queue, tmp_path), parent_worker_on(client, parent_queue, ParentOfAFailedRun):
        handle = await client.start_workflow(
            ParentOfAFailedRun.run,
            args=[child_id, task_queue, args],
            id=parent_id,
            task_queue=parent_queue,
            execution_timeout=timedelta(minutes=2),
        )
        assert await handle.result() > 0, "the record came with the failure"
    assert list((folder_of(storage_settings, parent_id) / "for" / segment(child_id)).iterdir()), "filed for the parent"
    shutil.rmtree(folder_of(storage_settings, child_id))
    async with parent_worker_on(client, parent_queue, ParentOfAFailedRun):
        assert await handle.query("__temporal_workflow_metadata") is not None
