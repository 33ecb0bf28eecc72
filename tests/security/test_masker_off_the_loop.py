"""A step's secrets are masked by patterns of their every form, compiled once a worker: 0.65 s of CPU for a model
provider's key of 168 characters. Compiled on the worker's event loop, that held every activity's heartbeats;
on a loaded machine the step itself missed its own and failed as "activity timed out (heartbeat)", its
tool's answer lost. They are compiled in a thread, as the rest of a call's CPU work is."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client

from orchestra.record import StepState
from tests.compiled_where import compiled_where
from tests.helpers import http_server
from tests.security.support import real_settings, run


def answer(request: Any) -> tuple[int, dict[str, str], bytes]:
    return 200, {"Content-Type": "text/plain"}, b"welcome"


async def test_a_steps_secret_patterns_are_compiled_off_the_event_loop(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key no masker has had yet: its pattern is cached once compiled."""
    key = uuid.uuid4().hex  # 32 characters: the pattern of a longer one is the same work, longer (seconds at 600)
    monkeypatch.setenv("ORCHESTRA_SECRET_API_KEY", key)
    where = compiled_where(monkeypatch, key)
    with http_server(answer) as url:
        settings = real_settings(client, task_queue, tmp_path / "ws", allowed_hosts=[url[7:]])
        node = {"id": "call", "tool": "http_request", "args": {"url": url, "headers": {"X-Key": "${secrets.API_KEY}"}}}
        record, history = await run(client, settings, {"name": "keyed", "nodes": [node]})
    assert record.step("call").state == StepState.COMPLETED
    assert where and not any(where), where
    assert key not in history
