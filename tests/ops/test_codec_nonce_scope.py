"""The codec's nonce is per workflow: the same value in two workflows encrypts to different bytes, in one workflow to
the same (a replay finds what it stored: tests/storage/test_replay_stores_nothing.py). Deterministic across workflows,
whoever could have a value of theirs encrypted in a run (a page a tool fetched, an input they give) and read the
histories learnt whether another workflow's payload was exactly that value: a guessed PIN or a yes/no confirmed."""

from __future__ import annotations

import uuid

from temporalio.api.common.v1 import Payload
from temporalio.client import Client
from temporalio.converter import WorkflowSerializationContext

from orchestra.codec import NONCE_BYTES, EncryptionCodec
from orchestra.converter import compose

KEY = b"s" * 32
VALUE = {"approved": False, "pin": "4821"}


async def _started_with(client: Client, workflow_id: str) -> Payload:
    """The input as the server holds it, of a run started with VALUE (no worker: it never runs)."""
    handle = await client.start_workflow("NoSuchWorkflow", VALUE, id=workflow_id, task_queue=f"none-{uuid.uuid4()}")
    try:
        async for event in handle.fetch_history_events():
            if event.HasField("workflow_execution_started_event_attributes"):
                [payload] = event.workflow_execution_started_event_attributes.input.payloads
                return payload
        raise AssertionError("no started event")
    finally:
        await handle.terminate()


async def test_the_same_value_in_two_workflows_is_encrypted_differently_and_reads_back(client: Client) -> None:
    config = client.config()
    config["data_converter"] = compose(EncryptionCodec(KEY, "k1"), None)
    encrypted = Client(**config)
    prefix = f"scope-{uuid.uuid4().hex[:8]}"
    first = await _started_with(encrypted, f"{prefix}-a")
    other = await _started_with(encrypted, f"{prefix}-b")
    assert first.metadata["encoding"] == b"binary/encrypted"
    assert first.data[:NONCE_BYTES] != other.data[:NONCE_BYTES]
    assert first.data != other.data
    codec = EncryptionCodec(KEY, "k1")  # unbound, as the codec server: reads either
    assert codec.decrypt(first) == codec.decrypt(other)


def test_one_workflow_encrypts_a_value_to_the_same_bytes_every_time() -> None:

    value = Payload(metadata={"encoding": b"json/plain"}, data=b'{"pin": "4821"}')
    codec = EncryptionCodec(KEY, "k1")
    one = codec.with_context(WorkflowSerializationContext(namespace="default", workflow_id="wf-1"))
    again = codec.with_context(WorkflowSerializationContext(namespace="default", workflow_id="wf-1"))
    elsewhere = codec.with_context(WorkflowSerializationContext(namespace="other", workflow_id="wf-1"))
    assert one.encrypt(value) == again.encrypt(value)
    assert elsewhere.encrypt(value).data != one.encrypt(value).data
    assert codec.decrypt(one.encrypt(value)) == value
