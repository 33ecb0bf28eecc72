"""An answer's words about itself (``model``, ``finish_reason``) come from the endpoint, unbounded: a 1 MB
model name (100,000 escaped characters here) was kept whole on every step of an agent's record and printed in `status`'s header. Each is kept
cut to ``MAX_ANSWER_WORD_CHARS``, on one line, its controls escaped. Real HTTP on loopback."""

from __future__ import annotations

import json

import pytest

from orchestra.llm import ChatClient, ChatRequest, LLMConfig, Message
from orchestra.llm.client import MAX_ANSWER_WORD_CHARS
from tests.llm_server import reply, scripted

HUGE = 600_000  # characters; escaped as \\u001b in the JSON body, 6 bytes each: within the answer cap


async def _answer_words(model: str, finish: str) -> tuple[str | None, str | None]:
    body = {"model": model, "choices": [{"message": {"role": "assistant", "content": "hi"}, "finish_reason": finish}]}
    status, headers, _ = reply({})
    with scripted([(status, headers, json.dumps(body).encode())]) as (base, _seen):
        async with ChatClient(LLMConfig(base_url=base, model="m", timeout_s=30)) as chat:
            answer = await chat.chat(ChatRequest(messages=[Message(role="user", content="x")]))
    return answer.model, answer.finish_reason


@pytest.mark.parametrize(
    "unit", ["m", "\x1b", "\u202e", "\U000e0041", "a\nb"], ids=["plain", "esc", "bidi", "tag", "lines"]
)
async def test_a_huge_model_name_and_finish_reason_are_kept_cut_and_escaped(unit: str) -> None:
    model, finish = await _answer_words(unit * (HUGE // 6 // len(unit)), unit * 5_000)
    for word in (model, finish):
        assert word is not None and 0 < len(word) <= MAX_ANSWER_WORD_CHARS, len(word or "")
        assert word.endswith("…") and "\x1b" not in word and "\u202e" not in word and "\n" not in word


async def test_real_words_are_kept_as_they_are() -> None:
    assert await _answer_words("gpt-4o-mini-2024-07-18", "tool_calls") == ("gpt-4o-mini-2024-07-18", "tool_calls")
