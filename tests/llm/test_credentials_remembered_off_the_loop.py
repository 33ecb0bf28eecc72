"""An endpoint's key is remembered in a thread, where the log masker it changes is made: remembered on the event
loop, the masker was left for the next log line to make, and a line of another activity logged on the loop while
the call waited for its answer compiled the pattern of the key's every form there (0.65 s of CPU for a key of 168
characters), holding every activity's heartbeats. Real HTTP on loopback."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from orchestra.llm import ChatClient, ChatRequest, LLMConfig, Message
from orchestra.telemetry import redaction
from tests.compiled_where import compiled_where
from tests.llm_server import reply, scripted


async def test_a_line_logged_on_the_loop_while_a_call_waits_compiles_no_key_pattern(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = uuid.uuid4().hex  # a key no masker has had yet: its pattern is cached once compiled
    where = compiled_where(monkeypatch, key)
    body = {"model": "m", "choices": [{"message": {"role": "assistant", "content": "hi"}}]}
    with scripted([reply(body)]) as (base, _seen):
        async with ChatClient(LLMConfig(base_url=base, model="m", api_key=key, timeout_s=30)) as chat:
            call = asyncio.create_task(chat.chat(ChatRequest(messages=[Message(role="user", content="x")])))
            await asyncio.sleep(0)  # the call is under way
            assert redaction.redact_text("another activity's line") == "another activity's line"  # on the loop
            await call
    assert redaction.redact_text(f"echoed {key}") == f"echoed {redaction.MASK}"
    assert where and not any(where), where
