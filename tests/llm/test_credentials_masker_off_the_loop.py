"""The masker of an endpoint's own credentials (the pattern of a key's every form: 0.65 s of CPU for a model
provider's key of 168 characters) is made in the answer's thread: on the event loop it held every activity of the
worker, their heartbeats too, on a key's first answer. Real HTTP on loopback."""

from __future__ import annotations

import uuid

import pytest

from orchestra.llm import ChatClient, ChatRequest, LLMConfig, Message
from tests.compiled_where import compiled_where
from tests.llm_server import reply, scripted


async def test_an_api_keys_patterns_are_compiled_off_the_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    """A key no masker has had yet: its pattern is cached once compiled."""
    key = uuid.uuid4().hex  # 32 characters: the pattern of a longer one is the same work, longer (seconds at 600)
    where = compiled_where(monkeypatch, key)
    body = {"model": "m", "choices": [{"message": {"role": "assistant", "content": f"hi {key}"}}]}
    with scripted([reply(body)]) as (base, _seen):
        async with ChatClient(LLMConfig(base_url=base, model="m", api_key=key, timeout_s=30)) as chat:
            answer = await chat.chat(ChatRequest(messages=[Message(role="user", content="x")]))
    assert answer.message.content is not None and key not in answer.message.content
    assert where and not any(where), where
