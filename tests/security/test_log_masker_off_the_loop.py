"""A secret remembered for the logs in a thread (a step's, an MCP connection's) had its pattern of every form
compiled by the next log line, on the worker's event loop maybe: 0.64 s of CPU for a key of 168 characters,
every activity's heartbeats held meanwhile. It is compiled where it is remembered."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from orchestra.telemetry import redaction
from tests.compiled_where import compiled_where


async def test_a_remembered_secrets_pattern_is_compiled_where_it_is_remembered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = uuid.uuid4().hex  # a key no masker has had yet: its pattern is cached once compiled
    where = compiled_where(monkeypatch, key)
    await asyncio.to_thread(redaction.remember, key)
    assert (
        redaction.redact_text(f"the server said {key.upper()}") == f"the server said {redaction.MASK}"
    )  # a log line, on the loop
    assert where and not any(where), where
