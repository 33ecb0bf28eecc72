"""Attacks on the binding of stored values to their workflow (``folder.FolderStorageDriver.bound``), and the
legitimate flows that binding must keep working: a schedule whose id is long (its run on a real server:
tests/ops/test_schedules.py), a reader with no workflow, an S3 reference that cannot be read; a signal naming
another run's value is refused with the reason, and the run goes on (tests/storage/test_refused_references.py)."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
from temporalio.api.common.v1 import Payload, Payloads, WorkflowExecution, WorkflowType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import SignalWorkflowExecutionRequest, StartWorkflowExecutionRequest
from temporalio.converter import ActivitySerializationContext, StorageDriverRetrieveContext

from orchestra.control import PAUSE_SIGNAL
from orchestra.record import AgentState, ExecutionRecord
from orchestra.storage.errors import StoredPayloadInvalid
from orchestra.storage.folder import FolderStorageDriver
from tests.helpers import start_plan, worker_for
from tests.storage.conftest import client_with
from tests.storage.test_folder_driver import payload
from tests.storage.test_ownership import reading, target
from tests.stored_plans import failure_of, large_plan
from workflows.orchestration import OrchestrationWorkflow

READ = StorageDriverRetrieveContext()
# Temporal names a schedule's runs "<action's workflow id>-<time>"; the CLI's action id is "<schedule>-run".
RUN_SUFFIX = "-run-2026-11-29T06:00:00Z"
# Generous: a run fails within seconds; this only keeps a run that never ends from hanging the suite.
HANG_GUARD_S = 120


@pytest.mark.parametrize("length", [100, 118, 119, 120, 121, 300, 990])
async def test_a_schedules_input_is_read_by_its_runs_whatever_the_length_of_its_id(tmp_path, length: int) -> None:
    driver = FolderStorageDriver(tmp_path, 1_000_000)
    action = "s" * (length - 4) + "-run"
    [claim] = await driver.bound(reading(action), schedules=True).store(target(action), [payload("plan")])
    assert await driver.bound(reading(action + RUN_SUFFIX[4:])).retrieve(READ, [claim]) == [payload("plan")]
    # Still only runs of that id: not another schedule's whose id shares the first 120 characters.
    other = "s" * (length - 4) + "-ran" + RUN_SUFFIX[4:]
    with pytest.raises(StoredPayloadInvalid):
        await driver.bound(reading(other)).retrieve(READ, [claim])


async def test_a_reader_without_a_workflow_reads_no_workflows_value(tmp_path) -> None:
    """A context with no workflow id (an activity started outside a workflow) reads nothing a workflow
    stored: not even the values of a workflow whose id is "null", the folder name of a missing id."""
    driver = FolderStorageDriver(tmp_path, 1_000_000)
    [claim] = await driver.bound(reading("null")).store(target("null"), [payload("the null run's")])
    assert await driver.bound(reading("null")).retrieve(READ, [claim]) == [payload("the null run's")]
    standalone = ActivitySerializationContext(
        namespace="default", workflow_id=None, workflow_type=None, activity_type="load_value",
        activity_task_queue="q", is_local=False, activity_id="1",
    )  # fmt: skip
    with pytest.raises(StoredPayloadInvalid):
        await driver.bound(standalone).retrieve(READ, [claim])


async def test_a_signal_carrying_another_runs_stored_reference_does_not_fail_the_run(
    client, storage_settings, task_queue, tmp_path
):
    """Whoever may signal a run could end it: the pause signal below names another run's stored value."""
    async with worker_for(client, task_queue, tmp_path):
        owner = await start_plan(client, task_queue, large_plan())
        await owner.result()
        started = (await owner.fetch_history()).events[0].workflow_execution_started_event_attributes
        reference = started.input.payloads[0]  # the run request, stored
        nap = {"name": "nap", "nodes": [{"id": "nap", "tool": "sleep", "args": {"seconds": 3}}]}
        victim = await start_plan(client, task_queue, nap)
        await client.workflow_service.signal_workflow_execution(
            SignalWorkflowExecutionRequest(
                namespace=client.namespace, workflow_execution=WorkflowExecution(workflow_id=victim.id),
                signal_name=PAUSE_SIGNAL, input=Payloads(payloads=[reference]), request_id=str(uuid.uuid4()),
            )
        )  # fmt: skip
        record = ExecutionRecord.model_validate(await victim.result())
    assert record.state == AgentState.COMPLETED and not record.paused
    [refused] = record.refused_signals
    assert refused.signal == PAUSE_SIGNAL and "was not stored by or for workflow" in refused.reason


S3_FORGERIES = [
    "missing key", "other content", "no key", "another hash", "a key the driver never writes", "a digest not the claim's"
]  # fmt: skip


def _forged(reference: Payload, change: str) -> Payload:
    data = json.loads(reference.data)
    claim = data["claimData"]
    if change == "missing key":
        claim["key"] = claim["key"][:-64] + "f" * 64  # a value of that shape never stored
        claim["hash_value"] = "f" * 64
    elif change == "other content":
        claim["hash_value"] = "0" * 64
    elif change == "no key":
        del claim["key"]
    elif change == "another hash":
        claim["hash_algorithm"] = "md5"
    elif change == "a key the driver never writes":  # too long for S3: real AWS answers KeyTooLongError
        claim["key"] = claim["key"].replace("/d/sha256/", "/" + "x" * 1100 + "/d/sha256/")
    elif change == "a digest not the claim's":
        claim["key"] = claim["key"][:-64] + "0" * 64
    forged = Payload()
    forged.CopyFrom(reference)
    forged.data = json.dumps(data).encode()
    return forged


@pytest.mark.parametrize("change", S3_FORGERIES)
async def test_an_s3_reference_that_cannot_be_read_fails_the_run(client, s3_settings, task_queue, tmp_path, change):
    """The SDK's S3 driver wraps what its client raises in a RuntimeError and checks the content with
    ValueErrors: a workflow task that meets either fails and is retried for ever, so a start input naming an
    object that is not there (expired, or forged) left the run running with nothing to run."""
    stack = client_with(client, s3_settings)
    async with worker_for(stack, task_queue, tmp_path):
        owner = await start_plan(stack, task_queue, large_plan())
        await owner.result()
        started = (await owner.fetch_history()).events[0].workflow_execution_started_event_attributes
        request, *rest = started.input.payloads
        borrower = f"borrower-{uuid.uuid4()}"
        await stack.workflow_service.start_workflow_execution(
            StartWorkflowExecutionRequest(
                namespace=stack.namespace, workflow_id=borrower, task_queue=TaskQueue(name=task_queue),
                workflow_type=WorkflowType(name=OrchestrationWorkflow.__name__),
                input=Payloads(payloads=[_forged(request, change), *rest]), request_id=str(uuid.uuid4()),
            )
        )  # fmt: skip
        try:
            cause = await asyncio.wait_for(failure_of(stack.get_workflow_handle(borrower)), HANG_GUARD_S)
        except TimeoutError:
            raise AssertionError(f"the run with a forged reference ({change}) still runs") from None
    assert cause.type == ("StoredPayloadMissing" if change == "missing key" else "StoredPayloadInvalid"), cause
