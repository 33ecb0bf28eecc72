"""Attacks on the refusal of payloads a run may not read (tests/storage/test_refused_references.py): payloads
the SDK itself raises on before any driver or codec sees them, and forged refusals, sent in signals. None may
stall the run (its workflow task failing for ever) or end it: each signal is refused, and the run completes."""

from __future__ import annotations

import asyncio
import io
import json
import os
import uuid
from datetime import UTC, datetime

import pytest
from rich.console import Console
from temporalio.api.common.v1 import Payload, Payloads, WorkflowExecution, WorkflowType
from temporalio.api.enums.v1 import EventType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import SignalWorkflowExecutionRequest, StartWorkflowExecutionRequest
from temporalio.client import Client, WorkflowQueryFailedError, WorkflowUpdateFailedError
from temporalio.common import RawValue
from temporalio.exceptions import ApplicationError

from orchestra.cli.history import pause_in_history
from orchestra.cli.render import plan_record
from orchestra.codec import EncryptionCodec
from orchestra.control import PAUSE_SIGNAL, PAUSE_UPDATE, RESUME_SIGNAL
from orchestra.converter import compose
from orchestra.record import AgentState, ExecutionRecord, RefusedSignal
from orchestra.refusal import KeyAwaited, error_of
from orchestra.settings import Settings
from tests.helpers import worker_for
from tests.storage.test_ownership_attacks import HANG_GUARD_S
from tests.storage.test_refused_references import resume, start_paused
from tests.stored_plans import failure_of
from workflows.orchestration import OrchestrationWorkflow

MARKER = "__temporal_external_storage_reference"  # the SDK's mark of a codec-encoded stored reference
REFERENCE = {"encoding": b"json/protobuf", "messageType": b"temporal.api.sdk.v1.ExternalStorageReference"}
PLAIN = {"encoding": b"json/plain"}


def _payload(metadata: dict[str, bytes], data: bytes) -> Payload:
    return Payload(metadata=metadata, data=data)


async def _signal_raw(client: Client, workflow_id: str, payloads: list[Payload]) -> None:
    """Sent past the client's converter, as anyone who may signal the run can."""
    await client.workflow_service.signal_workflow_execution(
        SignalWorkflowExecutionRequest(
            namespace=client.namespace, workflow_execution=WorkflowExecution(workflow_id=workflow_id),
            signal_name=PAUSE_SIGNAL, input=Payloads(payloads=payloads), request_id=str(uuid.uuid4()),
        )
    )  # fmt: skip


def _with(client: Client, codec: EncryptionCodec | None, settings: Settings | None) -> Client:
    config = client.config()
    config["data_converter"] = compose(codec, settings)
    return Client(**config)


# What the SDK raises on before the storage or the codec is asked (a RuntimeError, failing the task).
MARKED = {
    "a marked payload that is no reference": [_payload({**PLAIN, MARKER: b"true"}, b'"x"')],
    "a marked reference that is not JSON": [_payload({**REFERENCE, MARKER: b"true"}, b"{not json")],
    "a good value and a marked one": [_payload(PLAIN, b'"fine"'), _payload({**PLAIN, MARKER: b"true"}, b'"x"')],
}


@pytest.mark.parametrize("stack", ["storage", "storage and codec", "no storage"])
async def test_signals_the_sdk_cannot_resolve_as_references_are_refused(
    client, storage_settings, task_queue, tmp_path, stack
):
    """A payload marked as a codec-encoded stored reference, or a stored reference where storage is off:
    the SDK raised a RuntimeError while reading the workflow task, which Temporal retried for ever."""
    codec = EncryptionCodec(os.urandom(32)) if "codec" in stack else None
    settings = Settings(storage="off", data_dir=tmp_path) if stack == "no storage" else storage_settings
    sealed = _with(client, codec, settings)
    sent = dict(MARKED)
    if stack == "no storage":
        sent["a stored reference"] = [_payload(REFERENCE, b'{"driverName": "orchestra.folder", "claimData": {}}')]
    async with worker_for(sealed, task_queue, tmp_path):
        victim = await start_paused(sealed, task_queue)
        for payloads in sent.values():
            await _signal_raw(sealed, victim.id, payloads)
        if codec is None:  # with a codec the client encrypts it, mark and all: no longer marked
            marked = MARKED["a marked payload that is no reference"][0]
            with pytest.raises(WorkflowUpdateFailedError):
                await victim.execute_update(PAUSE_UPDATE, RawValue(marked))
            with pytest.raises(WorkflowQueryFailedError):
                await victim.query("record", RawValue(marked))
        record = await asyncio.wait_for(resume(victim), HANG_GUARD_S)
    assert record.state == AgentState.COMPLETED, record
    assert [r.signal for r in record.refused_signals] == [PAUSE_SIGNAL] * len(sent), record.refused_signals


FORGED_REFUSALS = {
    "nested too deep to parse": b"[" * 100_000,
    "not UTF-8": b"\xff\xfe{",
    "naming another exception": json.dumps({"type": "KeyboardInterrupt", "message": "m" * 10_000}).encode(),
    "a reason that is a list": json.dumps(["type", "message"]).encode(),
}


async def test_forged_refusals_in_signals_are_refused(client, task_queue, tmp_path):
    """A payload of the worker's own refusal encoding, sent from outside: refused like any other, however
    its reason is written."""
    refused = {"encoding": b"orchestra/refused-reference"}
    async with worker_for(client, task_queue, tmp_path):
        victim = await start_paused(client, task_queue)
        for data in FORGED_REFUSALS.values():
            await _signal_raw(client, victim.id, [_payload(refused, data)])
        record = await asyncio.wait_for(resume(victim), HANG_GUARD_S)
    assert record.state == AgentState.COMPLETED, record
    reasons = [r.reason for r in record.refused_signals]
    assert len(reasons) == len(FORGED_REFUSALS) and all(len(r) < 1200 for r in reasons), reasons


@pytest.mark.parametrize("kind", ["AwaitingKey", "StoredPayloadMissing"])
async def test_a_start_input_forging_a_refusal_fails_the_run(client, task_queue, tmp_path, kind):
    """A refusal is made in the worker's process: one in a start input was forged by the starter. Claiming
    a key awaited, it failed the run's workflow task for ever, though no key could ever read it."""
    forged = _payload(
        {"encoding": b"orchestra/refused-reference"}, json.dumps({"type": kind, "message": "forged"}).encode()
    )
    run_id = f"forger-{uuid.uuid4()}"
    async with worker_for(client, task_queue, tmp_path):
        await client.workflow_service.start_workflow_execution(
            StartWorkflowExecutionRequest(
                namespace=client.namespace, workflow_id=run_id, task_queue=TaskQueue(name=task_queue),
                workflow_type=WorkflowType(name=OrchestrationWorkflow.__name__), request_id=str(uuid.uuid4()),
                input=Payloads(payloads=[forged, Payload(metadata={"encoding": b"binary/null"})]),
            )
        )  # fmt: skip
        cause = await asyncio.wait_for(failure_of(client.get_workflow_handle(run_id)), HANG_GUARD_S)
    assert cause.type == "PayloadValidationError" and "made outside this worker" in cause.message, cause


def test_a_refused_signals_name_sender_and_reason_cannot_rewrite_the_terminal() -> None:
    """Whoever signals a run chooses the signal's name and the identity it is sent under, and writes what a
    reason quotes (a driver's name): `client.py status` prints them on a terminal."""
    escapes = "\x1b]0;owned\x07\x1b[2J\x9b31m"
    note = RefusedSignal(signal=f"pause{escapes}", sender=f"me{escapes}", reason=f"no driver {escapes}")
    record = ExecutionRecord(
        id="run", run_id="r", plan_name="plan", started_at=datetime.now(UTC), refused_signals=[note]
    )
    console = Console(width=200, file=io.StringIO(), force_terminal=True, color_system=None)
    console.print(plan_record(record))
    shown = console.file.getvalue()  # type: ignore[attr-defined]
    assert "1 signal refused" in shown and not any(c in shown for c in "\x1b\x07\x9b"), repr(shown)


async def test_the_cli_counts_no_pause_or_resume_signal_the_run_refused(client, task_queue):
    """`client.py` reads a natively paused run's pause from its history: a pause or resume the run refused
    (a forged ciphertext, plaintext where encryption is required, a forged refusal) took no effect."""
    codec = EncryptionCodec(os.urandom(32), require_encrypted=True)
    sealed = _with(client, codec, None)
    forged_cipher = _payload({"encoding": b"binary/encrypted", "encryption-key-id": codec.key_id.encode()}, b"0" * 64)
    forged_refusal = _payload({"encoding": b"orchestra/refused-reference"}, b'{"type": "x", "message": "y"}')
    victim = await start_paused(sealed, task_queue)  # no worker: the history is all this reads
    for payload in (forged_cipher, _payload(PLAIN, b'"plain"'), forged_refusal):
        await _signal_raw(sealed, victim.id, [payload])
    await sealed.workflow_service.signal_workflow_execution(
        SignalWorkflowExecutionRequest(
            namespace=sealed.namespace, workflow_execution=WorkflowExecution(workflow_id=victim.id),
            signal_name=RESUME_SIGNAL, input=Payloads(payloads=[forged_refusal]), request_id=str(uuid.uuid4()),
        )
    )  # fmt: skip
    events = list((await victim.fetch_history()).events)
    signaled = [e for e in events if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED]
    assert len(signaled) == 5
    assert await pause_in_history(sealed, victim.id, signaled[1:4]) is None
    # The start's own pause holds: the refused resume after it did not lift it.
    state = await pause_in_history(sealed, victim.id, signaled)
    assert state is not None and state.paused and state.pause_reason == "held by the test", state


class _ShortOfMemory(EncryptionCodec):
    """The real codec on a worker that runs out of memory decrypting: the cause is the worker, not the payload."""

    def decrypt(self, payload: Payload) -> Payload:
        raise MemoryError


async def test_a_payload_a_worker_lacked_memory_for_is_retried_and_a_damaged_one_is_refused_for_good() -> None:
    """Every codec error was a final refusal: a run's own large stored value that one worker lacked the memory
    to decrypt ended the run as unreadable, where a retry of its workflow task (on a worker with room) reads it.
    Damaged ciphertext fails the same way every time: its refusal stays final."""
    key = os.urandom(32)
    [sealed] = await EncryptionCodec(key).encode([Payload(metadata={"encoding": b"json/plain"}, data=b"1")])
    short = compose(_ShortOfMemory(key), None).payload_codec
    damaged = Payload(metadata=sealed.metadata, data=sealed.data[:-1] + bytes([sealed.data[-1] ^ 1]))
    real = compose(EncryptionCodec(key), None).payload_codec
    assert short is not None and real is not None
    [for_now] = await short.decode([sealed])
    [for_good] = await real.decode([damaged])
    assert isinstance(error_of(for_now), KeyAwaited), "a transient refusal: the workflow task is retried"
    final = error_of(for_good)
    assert isinstance(final, ApplicationError) and final.non_retryable and final.type == "PayloadValidationError"
