"""With ORCHESTRA_CODEC_KEY set, the server's history holds only ciphertext (inputs, outputs, failure
messages), while the client, the codec and the codec server read it back."""

from __future__ import annotations

import base64
import json
import os
import uuid
from collections.abc import Iterator

import httpx
import pytest
from google.protobuf import json_format
from google.protobuf.message import Message
from temporalio.api.common.v1 import Payload, Payloads
from temporalio.client import WorkflowFailureError

from orchestra.calls import RunRequest
from orchestra.codec import CodecKeyError, EncryptionCodec, new_key
from orchestra.codec_server import CodecServer
from orchestra.connect import connect
from orchestra.plan import parse_plan
from tests.helpers import settings_for
from worker import create_worker
from workflows.orchestration import OrchestrationWorkflow

UI = "http://localhost:8233"


def payloads_in(message: Message) -> Iterator[Payload]:
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if isinstance(value, Message):
            items = [value]
        else:  # a repeated field or a map
            items = list(value.values()) if field.message_type.GetOptions().map_entry else list(value)
        for item in items:
            if isinstance(item, Payload):
                yield item
            elif isinstance(item, Message):
                yield from payloads_in(item)


async def test_history_is_ciphertext_and_the_codec_reads_it(temporal_env, task_queue, tmp_path, monkeypatch):
    monkeypatch.setenv("ORCHESTRA_CODEC_KEY", new_key())
    settings = settings_for(task_queue, tmp_path / "workspace")
    settings = settings.model_copy(update={"address": temporal_env.client.service_client.config.target_host})
    encrypted = await connect(settings)  # the codec comes from the environment, as on a worker
    marker = f"TOP-SECRET-{uuid.uuid4().hex}"
    plan = parse_plan({"name": "sealed", "nodes": [
        {"id": "keep", "tool": "write_file", "args": {"path": "note.txt", "content": marker}},
        {"id": "missing", "tool": "read_file", "args": {"path": f"{marker}.txt"}, "retry": {"max_attempts": 1}},
    ]})  # fmt: skip
    async with create_worker(encrypted, settings):
        handle = await encrypted.start_workflow(
            OrchestrationWorkflow.run, RunRequest(plan=plan), id=f"sealed-{uuid.uuid4()}", task_queue=task_queue
        )
        with pytest.raises(WorkflowFailureError) as failure:
            await handle.result()
    assert marker in str(failure.value.cause)  # decrypted for the client that holds the key

    history = await temporal_env.client.get_workflow_handle(handle.id).fetch_history()  # a client without it
    assert marker not in history.to_json()
    payloads = [p for event in history.events for p in payloads_in(event)]
    assert all(marker.encode() not in p.data for p in payloads)
    sealed = [p for p in payloads if p.metadata.get("encoding") == b"binary/encrypted"]
    assert len(sealed) >= 4  # input, activity inputs and results, failure attributes, ...
    failed = [e.activity_task_failed_event_attributes.failure for e in history.events if e.HasField(
        "activity_task_failed_event_attributes")]  # fmt: skip
    assert failed and all(f.message == "Encoded failure" and f.HasField("encoded_attributes") for f in failed)

    codec = EncryptionCodec.from_env()
    assert codec is not None
    started = history.events[0].workflow_execution_started_event_attributes.input.payloads
    assert marker in (await codec.decode(started))[0].data.decode()
    assert marker in (await codec.decode([failed[0].encoded_attributes]))[0].data.decode()

    token = uuid.uuid4().hex
    server = CodecServer(("127.0.0.1", 0), codec, [UI], token)
    server.serve_in_thread()
    try:
        body = json_format.MessageToJson(Payloads(payloads=started))
        async with httpx.AsyncClient(base_url=server.url) as http:
            refused = await http.post("/decode", content=body)
            assert refused.status_code == 401
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Origin": UI}
            answer = await http.post("/decode", content=body, headers=headers)
            assert answer.status_code == 200 and answer.headers["Access-Control-Allow-Origin"] == UI
            data = base64.b64decode(answer.json()["payloads"][0]["data"])
            assert marker in data.decode()
            preflight = await http.options("/decode", headers={"Origin": UI, "Access-Control-Request-Method": "POST"})
            assert preflight.status_code == 204 and "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
            stranger = await http.options("/decode", headers={"Origin": "http://evil.example"})
            assert "Access-Control-Allow-Origin" not in stranger.headers
            plain = json_format.MessageToJson(Payloads(payloads=[Payload(metadata={"encoding": b"json/plain"},
                                                                         data=json.dumps(marker).encode())]))  # fmt: skip
            encoded = await http.post("/encode", content=plain, headers=headers)
            assert marker not in encoded.text
            back = await http.post("/decode", content=encoded.text, headers=headers)
            assert json.loads(base64.b64decode(back.json()["payloads"][0]["data"])) == marker
    finally:
        server.shutdown()
        server.server_close()


async def test_rotated_keys_still_decrypt_and_unknown_keys_fail_clearly():
    old_key, new = os.urandom(32), os.urandom(32)
    before = EncryptionCodec(old_key, "2025")
    sealed = await before.encode([Payload(metadata={"encoding": b"json/plain"}, data=b'"x"')])
    assert sealed[0].metadata["encryption-key-id"] == b"2025"
    after = EncryptionCodec(new, "2026", old_keys={"2025": old_key})
    assert (await after.decode(sealed))[0].data == b'"x"'
    assert (await after.encode(sealed))[0].metadata["encryption-key-id"] == b"2026"
    with pytest.raises(CodecKeyError, match="unknown key id '2025'"):
        await EncryptionCodec(new, "2026").decode(sealed)
    unencrypted = Payload(metadata={"encoding": b"json/plain"}, data=b"1")
    assert (await after.decode([unencrypted]))[0] == unencrypted  # history from before encryption


def test_a_bad_key_is_refused_with_a_clear_message():
    with pytest.raises(CodecKeyError, match="32 bytes"):
        EncryptionCodec.from_env({"ORCHESTRA_CODEC_KEY": base64.b64encode(b"short").decode()})
    with pytest.raises(CodecKeyError, match="base64"):
        EncryptionCodec.from_env({"ORCHESTRA_CODEC_KEY": "not base64!"})
    assert EncryptionCodec.from_env({}) is None
