"""A model endpoint's Retry-After, read as http_request reads it (one reader, orchestra/retry_after.py), on
a scripted OpenAI-compatible server on loopback: 'nan' made ``timedelta(seconds=nan)`` raise ValueError in
``to_application_error`` (the step failed with a crash, not a rate limit), and 'inf' or '1e3', which RFC
9110 does not allow, were read as waits of 600 s."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from orchestra.llm import ChatClient, ChatRequest, LLMConfig, LLMRateLimited
from orchestra.llm.errors import MAX_RETRY_AFTER_S
from orchestra.llm.types import Message
from tests.llm_server import scripted


async def _wait_asked(retry_after: str) -> timedelta | None:
    answer = (429, {"Retry-After": retry_after, "Content-Type": "application/json"}, b'{"error": "slow down"}')
    with scripted([answer]) as (base, _seen):
        async with ChatClient(LLMConfig(base_url=base, model="scripted", api_key="sk-test", timeout_s=10)) as chat:
            with pytest.raises(LLMRateLimited) as raised:
                await chat.chat(ChatRequest(messages=[Message(role="user", content="hi")]))
    return raised.value.to_application_error().next_retry_delay


@pytest.mark.parametrize("unreadable", ["nan", "NaN", "inf", "-inf", "1e3", "-5", "2.5"])
async def test_a_retry_after_not_of_delay_seconds_leaves_the_wait_to_the_retry_policy(unreadable: str):
    assert await _wait_asked(unreadable) is None


async def test_a_retry_after_date_is_a_wait_capped_like_seconds():
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=120), usegmt=True)
    asked = await _wait_asked(soon)
    assert asked is not None and timedelta(seconds=100) <= asked <= timedelta(seconds=120)
    assert await _wait_asked("Fri, 31 Dec 9999 23:59:59 GMT") == timedelta(seconds=MAX_RETRY_AFTER_S)
    assert await _wait_asked("7") == timedelta(seconds=7)
