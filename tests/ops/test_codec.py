"""With ORCHESTRA_CODEC_KEY set, the server's history holds only ciphertext (inputs, outputs, failure
messages), while the client, the codec and the codec server read it back."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from google.protobuf import json_format
from google.protobuf.message import Message
from temporalio.api.common.v1 import Payload, Payloads
from temporalio.client import WorkflowFailureError

from orchestra.calls import RunRequest
from orchestra.codec import CodecKeyError, EncryptionCodec, UnencryptedPayloadError, new_key
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
        server.close()


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


def test_a_require_encrypted_setting_that_cannot_hold_is_refused_not_ignored():
    """A word it did not know read as off, and with no key there was no codec to refuse anything: either
    way payloads went unencrypted, and nothing said so."""
    key = new_key()
    for word in ("required", "enabled", "y"):
        with pytest.raises(CodecKeyError, match=f"ORCHESTRA_CODEC_REQUIRE_ENCRYPTED={word!r} is not a value it takes"):
            EncryptionCodec.from_env({"ORCHESTRA_CODEC_KEY": key, "ORCHESTRA_CODEC_REQUIRE_ENCRYPTED": word})
    with pytest.raises(CodecKeyError, match="ORCHESTRA_CODEC_KEY is not"):
        EncryptionCodec.from_env({"ORCHESTRA_CODEC_REQUIRE_ENCRYPTED": "1"})
    off = EncryptionCodec.from_env({"ORCHESTRA_CODEC_KEY": key, "ORCHESTRA_CODEC_REQUIRE_ENCRYPTED": " Off "})
    assert off is not None and not off.require_encrypted
    assert EncryptionCodec.from_env({"ORCHESTRA_CODEC_REQUIRE_ENCRYPTED": "0"}) is None


# --- the codec server guards itself -----------------------------------------------------------------

REPO = Path(__file__).resolve().parents[2]


def codec_server_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHESTRA_CODEC")}
    env["ORCHESTRA_CODEC_KEY"] = new_key()
    env.update(extra)
    return env


def sealed_body(codec: EncryptionCodec, marker: str) -> str:
    plain = Payload(metadata={"encoding": b"json/plain"}, data=json.dumps(marker).encode())
    return json_format.MessageToJson(Payloads(payloads=[codec.encrypt(plain)]))


async def test_codec_server_refuses_a_port_it_cannot_listen_on_by_name_not_a_traceback():
    command = [sys.executable, "-m", "orchestra.codec_server", "--insecure", "--port", "99999"]
    refused = await asyncio.create_subprocess_exec(
        *command, env=codec_server_env(), cwd=REPO, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    _, err = await asyncio.wait_for(refused.communicate(), 60)
    assert refused.returncode == 2 and b"--port: '99999' is no port" in err and b"Traceback" not in err, err


async def test_codec_server_refuses_to_start_without_a_token_unless_insecure():
    command = [sys.executable, "-m", "orchestra.codec_server", "--host", "127.0.0.1", "--port", "0"]
    # The timeout only guards against a server that starts and serves forever.
    refused = await asyncio.create_subprocess_exec(
        *command, env=codec_server_env(), cwd=REPO, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(refused.communicate(), 60)
    assert refused.returncode == 2
    assert b"ORCHESTRA_CODEC_SERVER_TOKEN" in err and b"--insecure" in err
    assert b"codec server on" not in out

    env = codec_server_env()
    process = await asyncio.create_subprocess_exec(
        *command, "--insecure", env=env, cwd=REPO, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        banner = (await asyncio.wait_for(process.stdout.readline(), 60)).decode()
        url = re.search(r"http://127\.0\.0\.1:\d+", banner)
        assert url is not None, banner
        warning = (await asyncio.wait_for(process.stderr.readline(), 60)).decode()
        assert "--insecure" in warning and "anyone" in warning
        codec = EncryptionCodec.from_env(env)
        assert codec is not None
        marker = f"SECRET-{uuid.uuid4().hex}"
        body = sealed_body(codec, marker)
        async with httpx.AsyncClient(base_url=url.group(0)) as http:
            port = url.group(0).rsplit(":", 1)[1]
            # A DNS-rebinding page: the browser sends the attacker's name, and a "simple" content type.
            for host in ("attacker.example", f"attacker.example:{port}", "127.0.0.1.attacker.example"):
                rebound = await http.post("/decode", content=body, headers={"Host": host, "Content-Type": "text/plain"})
                assert rebound.status_code == 403 and marker not in rebound.text
            local = await http.post("/decode", content=body, headers={"Content-Type": "text/plain"})
            assert local.status_code == 200
            assert json.loads(base64.b64decode(local.json()["payloads"][0]["data"])) == marker
    finally:
        process.terminate()
        await process.wait()


async def test_codec_server_answers_only_allowed_host_headers():
    codec = EncryptionCodec(os.urandom(32))
    marker = f"SECRET-{uuid.uuid4().hex}"
    body = sealed_body(codec, marker)
    token = uuid.uuid4().hex
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    with pytest.raises(ValueError, match="ORCHESTRA_CODEC_SERVER_TOKEN"):
        CodecServer(("127.0.0.1", 0), codec, [UI], None)
    with pytest.raises(ValueError, match="'\\*'"):
        CodecServer(("127.0.0.1", 0), codec, ["*"], token)

    server = CodecServer(("127.0.0.1", 0), codec, [UI], token)
    server.serve_in_thread()
    port = server.server_address[1]
    try:
        async with httpx.AsyncClient(base_url=server.url) as http:
            for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
                answer = await http.post("/decode", content=body, headers={**auth, "Host": host})
                assert answer.status_code == 200, host
            for host in ("attacker.example", f"attacker.example:{port}", "localhost", f"localhost:{port + 1}"):
                refused = await http.post("/decode", content=body, headers={**auth, "Host": host, "Origin": UI})
                assert refused.status_code == 403, host
                assert marker not in refused.text and "Access-Control-Allow-Origin" not in refused.headers
            health = await http.get("/health", headers={"Host": "attacker.example"})
            assert health.status_code == 403
            preflight = await http.options("/decode", headers={"Host": "attacker.example", "Origin": UI})
            assert preflight.status_code == 403 and "Access-Control-Allow-Origin" not in preflight.headers
    finally:
        server.close()

    named = CodecServer(("127.0.0.1", 0), codec, [UI], token, hosts=["codec.internal", "proxy.example:443"])
    named.serve_in_thread()
    try:
        async with httpx.AsyncClient(base_url=named.url) as http:
            for host, status in (
                ("codec.internal", 200),
                ("codec.internal:9999", 200),
                ("proxy.example:443", 200),
                ("proxy.example:8443", 403),
                (f"localhost:{named.server_address[1]}", 403),
            ):
                answer = await http.post("/decode", content=body, headers={**auth, "Host": host})
                assert answer.status_code == status, host
    finally:
        named.close()


async def test_require_encrypted_refuses_plaintext_payloads():
    key = new_key()
    strict = EncryptionCodec.from_env({"ORCHESTRA_CODEC_KEY": key, "ORCHESTRA_CODEC_REQUIRE_ENCRYPTED": "1"})
    lenient = EncryptionCodec.from_env({"ORCHESTRA_CODEC_KEY": key})
    assert strict is not None and lenient is not None
    assert strict.require_encrypted and not lenient.require_encrypted
    plain = Payload(metadata={"encoding": b"json/plain"}, data=b'"forged"')
    sealed = await strict.encode([Payload(metadata={"encoding": b"json/plain"}, data=b'"real"')])
    assert (await strict.decode(sealed))[0].data == b'"real"'
    assert (await lenient.decode([plain]))[0] == plain
    with pytest.raises(UnencryptedPayloadError, match="ORCHESTRA_CODEC_REQUIRE_ENCRYPTED"):
        await strict.decode([plain])
    with pytest.raises(UnencryptedPayloadError, match="'none'"):
        await strict.decode([Payload(data=b"raw")])

    token = uuid.uuid4().hex
    server = CodecServer(("127.0.0.1", 0), strict, [UI], token)
    server.serve_in_thread()
    try:
        async with httpx.AsyncClient(base_url=server.url) as http:
            body = json_format.MessageToJson(Payloads(payloads=[plain]))
            answer = await http.post("/decode", content=body, headers={"Authorization": f"Bearer {token}"})
            assert answer.status_code == 400 and "ORCHESTRA_CODEC_REQUIRE_ENCRYPTED" in answer.json()["error"]
            assert "forged" not in answer.text
    finally:
        server.close()
