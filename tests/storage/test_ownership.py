"""A stored value is read only by the workflow it was stored by or for: a reference a starter writes into a
workflow's input cannot name another run's value; a child's result, a heartbeat and a schedule's input are
stored where the workflow that reads them may; the codec server and the CLI (no workflow) read any value."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from temporalio.api.common.v1 import Payloads, WorkflowType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import StartWorkflowExecutionRequest
from temporalio.converter import (
    StorageDriverActivityInfo,
    StorageDriverStoreContext,
    StorageDriverWorkflowInfo,
    WorkflowSerializationContext,
)

from orchestra.storage.errors import StoredPayloadInvalid
from orchestra.storage.folder import FolderStorageDriver, segment
from tests.helpers import http_server, start_plan, worker_for
from tests.storage.test_folder_driver import READ, payload
from tests.stored_plans import failure_of, large_plan
from workflows.orchestration import OrchestrationWorkflow
from workflows.task import TaskOutcome, TaskRequest, TaskWorkflow


def reading(workflow_id: str) -> WorkflowSerializationContext:
    return WorkflowSerializationContext(namespace="default", workflow_id=workflow_id)


def target(workflow_id: str) -> StorageDriverStoreContext:
    return StorageDriverStoreContext(StorageDriverWorkflowInfo(namespace="default", id=workflow_id))


async def test_a_start_input_naming_another_runs_stored_value_fails_the_run(
    client, storage_settings, task_queue, tmp_path
):
    async with worker_for(client, task_queue, tmp_path):
        owner = await start_plan(client, task_queue, large_plan())
        await owner.result()
        history = await owner.fetch_history()
        started = history.events[0].workflow_execution_started_event_attributes
        assert started.input.payloads[0].external_payloads, "the owner's input is stored outside the history"
        borrower = f"borrower-{uuid.uuid4()}"
        await client.workflow_service.start_workflow_execution(
            StartWorkflowExecutionRequest(
                namespace=client.namespace,
                workflow_id=borrower,
                workflow_type=WorkflowType(name=OrchestrationWorkflow.__name__),
                task_queue=TaskQueue(name=task_queue),
                input=Payloads(payloads=list(started.input.payloads)),
                request_id=str(uuid.uuid4()),
            )
        )
        cause = await failure_of(client.get_workflow_handle(borrower))
    assert cause.type == "StoredPayloadInvalid", cause
    assert f"was not stored by or for workflow {borrower!r}" in cause.message and owner.id in cause.message


async def test_a_value_stored_for_another_workflow_is_read_by_that_one_only(tmp_path) -> None:
    driver = FolderStorageDriver(tmp_path, 1_000_000)
    # A child's result: the SDK stores it in its parent's folder; the parent reads it as the child's.
    [claim] = await driver.bound(reading("child")).store(target("parent"), [payload("record")])
    assert "/wf/parent/for/child/" in claim.claim_data["path"]
    assert await driver.bound(reading("child")).retrieve(READ, [claim]) == [payload("record")]
    assert await driver.retrieve(READ, [claim]) == [payload("record")], "unbound: the codec server, the CLI"
    for other in ("parent", "someone"):
        with pytest.raises(StoredPayloadInvalid, match=f"not stored by or for workflow '{other}'"):
            await driver.bound(reading(other)).retrieve(READ, [claim])
    # A heartbeat's details: stored for the activity, read by its workflow's next attempt.
    heartbeat = StorageDriverStoreContext(StorageDriverActivityInfo(namespace="default", id="1"))
    [claim] = await driver.bound(reading("wf")).store(heartbeat, [payload("beat")])
    assert await driver.bound(reading("wf")).retrieve(READ, [claim]) == [payload("beat")]
    with pytest.raises(StoredPayloadInvalid):
        await driver.bound(reading("wf2")).retrieve(READ, [claim])
    # Another namespace's workflow of the same id.
    [claim] = await driver.bound(reading("wf")).store(target("wf"), [payload("mine")])
    with pytest.raises(StoredPayloadInvalid):
        await driver.bound(WorkflowSerializationContext(namespace="other", workflow_id="wf")).retrieve(READ, [claim])


async def test_a_schedules_input_is_read_by_the_runs_it_starts(tmp_path) -> None:
    driver = FolderStorageDriver(tmp_path, 1_000_000)
    [claim] = await driver.bound(reading("nightly-run"), schedules=True).store(target("nightly-run"), [payload("p")])
    assert json.dumps(claim.claim_data).count("/sched/") == 1
    for reader in ("nightly-run", "nightly-run-2026-11-29T06:00:00Z"):
        assert await driver.bound(reading(reader)).retrieve(READ, [claim]) == [payload("p")]
    with pytest.raises(StoredPayloadInvalid):
        await driver.bound(reading("nightly")).retrieve(READ, [claim])


async def test_the_s3_store_reads_its_own_bucket_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from temporalio.converter import StorageDriverClaim

    from orchestra.storage.s3 import s3_driver

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    driver = s3_driver("ours", "http://127.0.0.1:9", "us-east-1", 1_000_000)
    claim = StorageDriverClaim({"bucket": "theirs", "key": "v0/x", "hash_algorithm": "sha256", "hash_value": "0" * 64})
    with pytest.raises(StoredPayloadInvalid, match="names the bucket 'theirs'; this store reads 'ours' only"):
        await driver.retrieve(READ, [claim])


def _big_pages(request: Any) -> tuple[int, dict[str, str], bytes]:
    return 200, {"Content-Type": "text/plain"}, (request.path * 4000).encode()


async def test_a_task_reads_its_plan_runs_record_stored_in_its_own_folder(
    client, storage_settings, task_queue, tmp_path
):
    """The SDK stores a child's result in its parent's folder, and the parent reads it as the child's."""
    with http_server(_big_pages) as base:
        urls = " ".join(f"{base}/page{i}" for i in range(12))
        task = TaskRequest(task=f"download {urls}, then write them to pages.json")
        parent = f"task-{uuid.uuid4()}"
        async with worker_for(client, task_queue, tmp_path):
            outcome = await client.execute_workflow(
                TaskWorkflow.run, task, id=parent, task_queue=task_queue, result_type=TaskOutcome
            )
    assert outcome.record is not None and outcome.record.state.value == "completed", outcome.record
    folder = storage_settings.storage_folder() / "v1" / "ns" / "default" / "wf" / segment(parent)
    assert list((folder / "for" / segment(f"{parent}-run")).iterdir()), "the record went to the parent's folder"


async def test_prune_keeps_a_schedules_input(client, storage_settings) -> None:
    """No workflow has the id a schedule's input is stored under (its runs append the time to it)."""
    from datetime import timedelta

    from orchestra.storage.prune import prune_folder

    root = storage_settings.storage_folder()
    driver = FolderStorageDriver(root, 1_000_000)
    schedule, plain = f"s-{uuid.uuid4().hex[:8]}-run", f"gone-{uuid.uuid4().hex[:8]}"
    [kept] = await driver.bound(reading(schedule), schedules=True).store(target(schedule), [payload("plan")])
    [gone] = await driver.bound(reading(plain)).store(target(plain), [payload("value")])
    report = await prune_folder(client, root, grace=timedelta(0))
    assert plain in report.deleted and schedule not in report.deleted
    assert (root / kept.claim_data["path"]).is_file() and not (root / gone.claim_data["path"]).exists()
