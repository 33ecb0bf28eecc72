"""An answer whose words about itself are not strings (``"finish_reason": {...}``, ``"model": 5``): pydantic's
own ValidationError escaped the client, neither an answer nor an LLM error (the agent retried it as if the
endpoint were down, the planner failed with pydantic's text). They are read as not known. Real HTTP on
loopback."""

from __future__ import annotations

import json
from typing import Any

import pytest

from orchestra.llm import ChatClient, ChatRequest, LLMConfig, Message
from tests.llm_server import reply, scripted


@pytest.mark.parametrize("odd", [5, {"x": 1}, ["stop"], True])
async def test_words_about_the_answer_that_are_not_strings_are_not_known(odd: Any) -> None:
    body = {"model": odd, "choices": [{"message": {"role": "assistant", "content": "hi"}, "finish_reason": odd}]}
    status, headers, _ = reply({})
    with scripted([(status, headers, json.dumps(body).encode())]) as (base, _seen):
        async with ChatClient(LLMConfig(base_url=base, model="m", timeout_s=10)) as chat:
            answer = await chat.chat(ChatRequest(messages=[Message(role="user", content="x")]))
    assert answer.message.content == "hi" and answer.finish_reason is None and answer.model is None


async def test_string_words_are_kept() -> None:
    body = {"model": "m-1", "choices": [{"message": {"role": "assistant", "content": "hi"}, "finish_reason": "length"}]}
    with scripted([reply(body)]) as (base, _seen):
        async with ChatClient(LLMConfig(base_url=base, model="m", timeout_s=10)) as chat:
            answer = await chat.chat(ChatRequest(messages=[Message(role="user", content="x")]))
    assert answer.finish_reason == "length" and answer.model == "m-1"
