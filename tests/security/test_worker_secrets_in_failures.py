"""A tool's error quoting the worker's own secrets (its codec key, another plan's ORCHESTRA_SECRET_*) is masked in
the activity's failure: it was masked with the call's own secrets only, so a server's error page quoting the codec
key reached the history in clear (the log lines were masked). A real worker encrypting with the key, a real server
on loopback, the whole history read back, every payload decrypted."""

from __future__ import annotations

import asyncio
import base64
import json
import textwrap
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from orchestra.codec import EncryptionCodec, new_key
from orchestra.connect import connect
from orchestra.record import ExecutionRecord, StepState
from tests.helpers import http_server, payload_text, start_plan
from tests.ops.test_codec import payloads_in
from tests.security.support import RUN_WITHIN_S, real_settings, real_worker

OTHER_SECRET = "another plan's pass phrase 7"
TOOLS = """
tools:
  - name: status
    kind: http
    description: a service's status page
    url: "BASE/status"
    retry: {max_attempts: 1}
"""


def forms(secret: str) -> list[str]:
    data = secret.encode()
    return [secret, quote(secret, safe=""), json.dumps(secret)[1:-1], base64.b64encode(data).decode(), data.hex()]


def failing_with(*secrets: str) -> Any:
    def answer(request: Any) -> tuple[int, dict[str, str], bytes]:
        body = "internal error, config dump: " + " | ".join(form for secret in secrets for form in forms(secret))
        return 500, {"Content-Type": "text/plain"}, body.encode()

    return answer


async def test_a_tool_error_quoting_the_workers_codec_key_is_masked_in_the_history(
    temporal_env: WorkflowEnvironment, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = new_key()
    monkeypatch.setenv("ORCHESTRA_CODEC_KEY", key)
    monkeypatch.setenv("ORCHESTRA_SECRET_OTHER", OTHER_SECRET)
    with http_server(failing_with(OTHER_SECRET, key)) as url:
        tools = tmp_path / "tools.yaml"
        tools.write_text(textwrap.dedent(TOOLS).replace("BASE", url))
        plain = temporal_env.client
        settings = real_settings(
            plain, task_queue, tmp_path / "ws", registry_files=[str(tools)], allowed_hosts=[url[7:]]
        )
        encrypted: Client = await connect(settings)  # the codec from the environment, as on a worker
        async with real_worker(encrypted, settings):
            handle = await start_plan(
                encrypted, task_queue, {"name": "dump", "nodes": [{"id": "dump", "tool": "status"}]}
            )
            with pytest.raises(WorkflowFailureError) as failure:
                await asyncio.wait_for(handle.result(), RUN_WITHIN_S)
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "PlanFailed", repr(cause)
    record = ExecutionRecord.model_validate(cause.details[0])
    assert record.step("dump").state == StepState.ERROR and "internal error" in str(record.step("dump").error)
    history = await plain.get_workflow_handle(handle.id).fetch_history()
    codec = EncryptionCodec.from_env()
    assert codec is not None
    decoded = await codec.decode([p for event in history.events for p in payloads_in(event)])
    text = payload_text(json.loads(history.to_json())) + "\n".join(p.data.decode(errors="replace") for p in decoded)
    assert "config dump" in text, "the failure's own words are kept"
    shown = [form for secret in (key, OTHER_SECRET) for form in forms(secret) if form in text]
    assert not shown, f"found in the history: {shown}"
