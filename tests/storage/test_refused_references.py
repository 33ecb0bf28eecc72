"""A payload a run may not read — a stored reference naming another run's value, a value that is gone, a
forged or malformed claim, a payload the codec cannot decrypt — sent in a signal, an update or a query:
refused with the reason, and the run goes on to complete; in a start input it still fails the run, with
the same error. The refusal carries the reason only, never the value."""

from __future__ import annotations

import asyncio
import io
import json
import os
import uuid
from typing import Any

import pytest
from rich.console import Console
from temporalio.api.common.v1 import Payload, Payloads, WorkflowExecution, WorkflowType
from temporalio.api.enums.v1 import EventType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import SignalWorkflowExecutionRequest, StartWorkflowExecutionRequest
from temporalio.client import Client, WorkflowHandle, WorkflowQueryFailedError, WorkflowUpdateFailedError
from temporalio.common import RawValue
from temporalio.converter import StorageDriverStoreContext, StorageDriverWorkflowInfo
from temporalio.exceptions import ApplicationError

from orchestra.calls import RunRequest
from orchestra.cli.history import pause_in_history
from orchestra.cli.render import plan_record
from orchestra.codec import EncryptionCodec
from orchestra.control import PAUSE_SIGNAL, PAUSE_UPDATE, REFUSED_SIGNAL, RESUME_UPDATE, ControlAnswer
from orchestra.converter import compose
from orchestra.plan import parse_plan
from orchestra.plan_chain import first_run_args
from orchestra.record import MAX_REFUSED_SIGNALS, AgentState, ExecutionRecord
from orchestra.refusal import error_of, is_refusal
from orchestra.replayers import replayer_without_deadline
from orchestra.storage.drivers import OwnedStorage
from orchestra.storage.folder import FolderStorageDriver, segment
from tests.control_support import current_details, has_event, history_until
from tests.helpers import payload_text, start_plan, worker_for
from tests.storage.conftest import client_with
from tests.storage.test_ownership import reading
from tests.storage.test_ownership_attacks import HANG_GUARD_S, S3_FORGERIES
from tests.storage.test_ownership_attacks import _forged as s3_forged
from tests.stored_plans import failure_of, large_plan
from tests.task_retries import RETRIED_AFTER
from worker import workflow_runner
from workflows.orchestration import OrchestrationWorkflow

NAP = {"name": "nap", "nodes": [{"id": "nap", "tool": "sleep", "args": {"seconds": 0}}]}
# What each forgery is refused for: the reason the record keeps names it.
FORGERIES = {
    "another run's value": "was not stored by or for workflow",
    "a value that is gone": "is missing",
    "a driver no one has": "cannot be read (ValueError: No driver found with name 'nope')",
    "a path outside the layout": "not a claim of the orchestra.folder driver",
    "a claim that is not JSON": "cannot be read (RuntimeError: Failed parsing)",
}


async def stored_reference(client: Client, task_queue: str) -> Payload:
    """The reference to a finished run's stored input: another run's value for any other workflow."""
    owner = await start_plan(client, task_queue, large_plan())
    await owner.result()
    started = (await owner.fetch_history()).events[0].workflow_execution_started_event_attributes
    reference = started.input.payloads[0]
    assert reference.external_payloads, "the owner's input is stored outside the history"
    return reference


def forged(reference: Payload, forgery: str, victim: str) -> Payload:
    data = json.loads(reference.data)
    if forgery == "a value that is gone":  # the victim's own folder, a value never stored
        data["claimData"]["path"] = f"v1/ns/default/wf/{segment(victim)}/{'0' * 64}"
        data["claimData"]["sha256"] = "0" * 64
    elif forgery == "a driver no one has":
        data["driverName"] = "nope"
    elif forgery == "a path outside the layout":
        data["claimData"]["path"] = "../../../../etc/passwd"
    out = Payload()
    out.CopyFrom(reference)
    out.data = b"{not json" if forgery == "a claim that is not JSON" else json.dumps(data).encode()
    return out


async def start_paused(client: Client, task_queue: str) -> WorkflowHandle[Any, Any]:
    """A run that starts nothing before it is resumed, so every message sent before resume reaches it."""
    return await client.start_workflow(
        OrchestrationWorkflow.run,
        args=first_run_args(RunRequest(plan=parse_plan(NAP))),
        id=f"victim-{uuid.uuid4()}",
        task_queue=task_queue,
        start_signal=PAUSE_SIGNAL,
        start_signal_args=["held by the test"],
    )


async def resume(handle: WorkflowHandle[Any, Any]) -> ExecutionRecord:
    """Resume (an update: it lands after every signal sent before it), then the record of the ended run."""
    answer = await handle.execute_update(RESUME_UPDATE, result_type=ControlAnswer)
    # Not paused any more; the state may still be INITIALIZING when the update landed in the run's first task.
    assert not answer.paused and answer.state in (AgentState.INITIALIZING, AgentState.RUNNING), answer
    return ExecutionRecord.model_validate(await handle.result())


async def test_signals_naming_values_the_run_may_not_read_are_refused_with_the_reason(
    client, storage_settings, task_queue, tmp_path
):
    async with worker_for(client, task_queue, tmp_path):
        reference = await stored_reference(client, task_queue)
        victim = await start_paused(client, task_queue)
        for forgery in FORGERIES:
            await victim.signal(PAUSE_SIGNAL, RawValue(forged(reference, forgery, victim.id)))
        await victim.signal(REFUSED_SIGNAL, {"signal": "pause", "reason": "a note only the worker may write"})
        record = await resume(victim)
        history = await victim.fetch_history()
    assert record.state == AgentState.COMPLETED and record.steps[0].state == "completed", record
    refused = record.refused_signals
    assert [r.signal for r in refused] == [PAUSE_SIGNAL] * len(FORGERIES) + [REFUSED_SIGNAL], refused
    for note, (forgery, reason) in zip(refused, FORGERIES.items(), strict=False):
        assert reason in note.reason, (forgery, note.reason)
        assert note.at is not None and note.sender, note
    assert "the worker's own" in refused[-1].reason and "a note only" not in refused[-1].reason
    # `client.py status` and `result` list them.
    console = Console(width=400, record=True, file=io.StringIO())
    console.print(plan_record(record))
    shown = console.export_text()
    assert f"{len(FORGERIES) + 1} signals refused:" in shown and FORGERIES["another run's value"] in shown
    # The refused value was never read: nothing of the other run's input is in this run's history.
    assert "y" * 100 not in payload_text(json.loads(history.to_json()))
    # The CLI, reading the pause from the history (a natively paused run cannot answer), sees none either.
    signaled = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED
    forged_only = [e for e in history.events if e.event_type == signaled][1:]  # not the start's own pause
    assert len(forged_only) == len(FORGERIES) + 1
    assert await pause_in_history(client, victim.id, forged_only) is None
    # The same history replays with the worker's runner: the same signals are refused.
    await replayer_without_deadline(
        workflows=[OrchestrationWorkflow],
        data_converter=client.data_converter,
        workflow_runner=workflow_runner(),
    ).replay_workflow(history)


async def test_a_signal_with_start_naming_another_runs_value_is_refused_and_the_run_starts(
    client, storage_settings, task_queue, tmp_path
):
    """Signal-with-start: the signal comes in the run's first workflow task, with its start input."""
    async with worker_for(client, task_queue, tmp_path):
        reference = await stored_reference(client, task_queue)
        victim = await client.start_workflow(
            OrchestrationWorkflow.run,
            args=first_run_args(RunRequest(plan=parse_plan(NAP))),
            id=f"victim-{uuid.uuid4()}",
            task_queue=task_queue,
            start_signal=PAUSE_SIGNAL,
            start_signal_args=[RawValue(reference)],
        )
        record = ExecutionRecord.model_validate(await victim.result())
        details = await current_details(victim)
    assert record.state == AgentState.COMPLETED and not record.paused, record
    [refused] = record.refused_signals
    assert refused.signal == PAUSE_SIGNAL and "was not stored by or for workflow" in refused.reason
    assert "1 signal refused (the last, `pause`: its input names a stored value" in details, details


async def test_a_run_keeps_the_last_refused_signals_only(client, storage_settings, task_queue, tmp_path):
    async with worker_for(client, task_queue, tmp_path):
        reference = await stored_reference(client, task_queue)
        victim = await start_paused(client, task_queue)
        for _ in range(MAX_REFUSED_SIGNALS + 3):
            await victim.signal(PAUSE_SIGNAL, RawValue(reference))
        record = await resume(victim)
    assert len(record.refused_signals) == MAX_REFUSED_SIGNALS and record.state == AgentState.COMPLETED


async def test_signals_naming_s3_objects_that_cannot_be_read_are_refused(client, s3_settings, task_queue, tmp_path):
    stack = client_with(client, s3_settings)
    changes = S3_FORGERIES
    async with worker_for(stack, task_queue, tmp_path):
        reference = await stored_reference(stack, task_queue)
        victim = await start_paused(stack, task_queue)
        for change in changes:
            await victim.signal(PAUSE_SIGNAL, RawValue(s3_forged(reference, change)))
        record = await asyncio.wait_for(resume(victim), HANG_GUARD_S)
    assert record.state == AgentState.COMPLETED, record
    reasons = [r.reason for r in record.refused_signals]
    assert len(reasons) == len(changes) and "is missing" in reasons[0], reasons
    assert all(r.startswith("its input names a stored value this run may not read") for r in reasons), reasons


@pytest.mark.parametrize("forgery", list(FORGERIES))
async def test_an_update_naming_a_value_the_run_may_not_read_is_rejected_with_the_reason(
    client, storage_settings, task_queue, tmp_path, forgery
):
    async with worker_for(client, task_queue, tmp_path):
        reference = await stored_reference(client, task_queue)
        victim = await start_paused(client, task_queue)
        with pytest.raises(WorkflowUpdateFailedError) as rejected:
            await victim.execute_update(PAUSE_UPDATE, RawValue(forged(reference, forgery, victim.id)))
        with pytest.raises(WorkflowQueryFailedError) as failed:
            await victim.query("record", RawValue(forged(reference, forgery, victim.id)))
        record = await resume(victim)
    cause = rejected.value.cause
    assert isinstance(cause, ApplicationError) and (cause.type or "").startswith("StoredPayload"), cause
    assert FORGERIES[forgery] in cause.message, cause.message
    assert FORGERIES[forgery] in str(failed.value)
    assert record.state == AgentState.COMPLETED, record


@pytest.mark.parametrize("forgery", list(FORGERIES))
async def test_a_start_input_naming_a_value_the_run_may_not_read_still_fails_the_run(
    client, storage_settings, task_queue, tmp_path, forgery
):
    """As it did, with the same error, for every forgery: a reference the SDK could not even parse (an
    unknown driver, a claim that is not JSON) used to fail the workflow task for ever instead."""
    async with worker_for(client, task_queue, tmp_path):
        reference = await stored_reference(client, task_queue)
        borrower = f"borrower-{uuid.uuid4()}"
        no_carry = Payload(metadata={"encoding": b"binary/null"})
        await client.workflow_service.start_workflow_execution(
            StartWorkflowExecutionRequest(
                namespace=client.namespace, workflow_id=borrower, task_queue=TaskQueue(name=task_queue),
                workflow_type=WorkflowType(name=OrchestrationWorkflow.__name__), request_id=str(uuid.uuid4()),
                input=Payloads(payloads=[forged(reference, forgery, borrower), no_carry]),
            )
        )  # fmt: skip
        cause = await asyncio.wait_for(failure_of(client.get_workflow_handle(borrower)), HANG_GUARD_S)
    assert cause.type == ("StoredPayloadMissing" if forgery == "a value that is gone" else "StoredPayloadInvalid")
    assert FORGERIES[forgery] in cause.message, cause.message


async def test_signals_the_codec_cannot_decrypt_are_refused_with_the_reason(client, task_queue, tmp_path):
    """With encryption required, whoever may signal a run without the key sent plaintext, a forged
    ciphertext or another key's: the codec's error failed the workflow task, which Temporal retried for
    ever, so the run stalled; now each is refused and the run goes on."""
    codec = EncryptionCodec(os.urandom(32), require_encrypted=True)
    config = client.config()
    config["data_converter"] = compose(codec, None)
    sealed = Client(**config)
    plain = Payload(metadata={"encoding": b"json/plain"}, data=b'"plain"')
    forged_cipher = Payload(
        metadata={"encoding": b"binary/encrypted", "encryption-key-id": codec.key_id.encode()}, data=os.urandom(64)
    )
    other_key = EncryptionCodec(os.urandom(32), "someone-elses").encrypt(plain)
    async with worker_for(sealed, task_queue, tmp_path):
        victim = await start_paused(sealed, task_queue)
        for payload in (plain, forged_cipher, other_key):
            await sealed.workflow_service.signal_workflow_execution(
                SignalWorkflowExecutionRequest(
                    namespace=sealed.namespace, workflow_execution=WorkflowExecution(workflow_id=victim.id),
                    signal_name=PAUSE_SIGNAL, input=Payloads(payloads=[payload]), request_id=str(uuid.uuid4()),
                )
            )  # fmt: skip
        record = await asyncio.wait_for(resume(victim), HANG_GUARD_S)
    assert record.state == AgentState.COMPLETED, record
    reasons = [r.reason for r in record.refused_signals]
    assert len(reasons) == 3 and all(r.startswith("its input cannot be read: ") for r in reasons), reasons
    assert "ORCHESTRA_CODEC_REQUIRE_ENCRYPTED" in reasons[0] and "InvalidTag" in reasons[1]
    assert "unknown key id 'someone-elses'" in reasons[2]


# -- the refusal itself -----------------------------------------------------------------------------------


async def test_only_the_refused_references_of_a_batch_become_refusals(tmp_path) -> None:
    driver = FolderStorageDriver(tmp_path, 1_000_000)
    storage = OwnedStorage(drivers=[driver], payload_size_threshold=10)
    store = StorageDriverStoreContext(StorageDriverWorkflowInfo(namespace="default", id="mine"))
    mine = await storage.with_context(reading("mine"))._with_store_context(store)._store_payload(_value("mine"))
    theirs_store = StorageDriverStoreContext(StorageDriverWorkflowInfo(namespace="default", id="theirs"))
    theirs = (
        await storage.with_context(reading("theirs"))._with_store_context(theirs_store)._store_payload(_value("theirs"))
    )
    read = await storage.with_context(reading("mine"))._retrieve_payload_sequence([mine, theirs, _value("inline")])
    assert read[0] == _value("mine") and read[2] == _value("inline")
    assert is_refusal(read[1]) and b"theirstheirs" not in read[1].data, "the reason, never the value"
    error = error_of(read[1])
    assert isinstance(error, ApplicationError)
    assert error.type == "StoredPayloadInvalid" and error.non_retryable and "'mine'" in error.message


def test_a_refusal_passes_a_codec_that_requires_encryption() -> None:
    """It is made after the history was read and is never encrypted; it must reach the converter (which
    raises its error) rather than fail the workflow task, which Temporal would retry for ever."""
    codec = EncryptionCodec(b"k" * 32, require_encrypted=True)
    refused = Payload(metadata={"encoding": b"orchestra/refused-reference"}, data=b"{}")
    assert codec.decrypt(refused) == refused
    error = error_of(refused)
    assert isinstance(error, ApplicationError) and error.type == "PayloadValidationError" and error.non_retryable


def _value(text: str) -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=json.dumps(text * 10).encode())


async def test_a_run_whose_input_needs_a_key_its_worker_lacks_waits_for_the_key(client, task_queue, tmp_path):
    """A key rotation under way: a client encrypts with a new key before the worker has it. That is not a
    forgery: the run's workflow task fails and is retried, and the run completes once a worker has the key
    (refusing it as unreadable would end a run that only had to wait)."""
    old, new = os.urandom(32), os.urandom(32)

    def sealed(codec: EncryptionCodec) -> Client:
        config = client.config()
        config["data_converter"] = compose(codec, None)
        return Client(**config)

    handle = await start_plan(
        sealed(EncryptionCodec(new, "new", {"old": old})), task_queue, NAP, task_timeout=RETRIED_AFTER
    )
    async with worker_for(sealed(EncryptionCodec(old, "old")), task_queue, tmp_path):
        await history_until(handle, has_event("workflow_task_failed"))
    async with worker_for(sealed(EncryptionCodec(old, "old", {"new": new})), task_queue, tmp_path):
        record = ExecutionRecord.model_validate(await asyncio.wait_for(handle.result(), HANG_GUARD_S))
    assert record.state == AgentState.COMPLETED, record
