"""An LLM endpoint's refusal quoting one of the worker's secret settings where the quote's 300 characters end: the
quote was cut first and masked by the settings after (``masked_failure``), so the setting the cut ran through was no
longer found and its first characters reached the failure, and the run's history. Real HTTP on loopback."""

from __future__ import annotations

import base64
import uuid
from urllib.parse import quote

import pytest

from orchestra.llm import ChatClient, ChatRequest, LLMConfig, Message
from orchestra.llm.errors import QUOTED_CHARS, LLMAuthError, LLMError, masked_failure
from tests.llm_server import Answer, scripted

PLAIN, BASE64, PERCENT = "plain", "base64", "percent"


def _setting(name: str, secret: str) -> str:
    """The environment value that makes ``secret`` one of the process's secret settings."""
    if name == "OTEL_EXPORTER_OTLP_HEADERS":
        return f"authorization=Bearer%20{quote(secret, safe='')}"
    if name == "ORCHESTRA_CODEC_OLD_KEYS":
        return f"k1={secret}"
    return secret


def _form(secret: str, form: str) -> str:
    if form == BASE64:
        return base64.b64encode(secret.encode()).decode()
    if form == PERCENT:
        return quote(secret, safe="")
    return secret


def _refusal(echoed: str, status: int = 401) -> Answer:
    """An answer (a 401 by default) whose text has ``echoed`` begin ten characters before the quote's cut."""
    body = "x" * (QUOTED_CHARS - 10) + echoed + " " + "y" * 2000
    return status, {"Content-Type": "text/plain"}, body.encode()


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("ORCHESTRA_SECRET_GATEWAY", PLAIN),
        ("ORCHESTRA_SECRET_GATEWAY", PERCENT),
        ("TEMPORAL_API_KEY", PLAIN),
        ("ORCHESTRA_CODEC_SERVER_TOKEN", BASE64),
        ("ORCHESTRA_CODEC_OLD_KEYS", PLAIN),
        ("OTEL_EXPORTER_OTLP_HEADERS", PLAIN),
    ],
)
async def test_a_setting_the_quotes_cut_runs_through_shows_none_of_itself(
    monkeypatch: pytest.MonkeyPatch, name: str, form: str
) -> None:
    # A passphrase: words, no key's shape, known only by its value.
    secret = f"tide {uuid.uuid4().hex[:5]} lantern moss"
    monkeypatch.setenv(name, _setting(name, secret))
    echoed = _form(secret, form)
    with scripted([_refusal(echoed)]) as (base, _seen):
        async with ChatClient(LLMConfig(base_url=base, model="m", timeout_s=30)) as chat:
            with pytest.raises(LLMAuthError) as refused:
                await chat.chat(ChatRequest(messages=[Message(role="user", content="hi")]))
    failure = masked_failure(refused.value)
    assert "x" * 50 in failure.message, "the quote is kept, up to the setting"
    assert "***" in failure.message, "masked as a history masks a setting"
    shown = [echoed[:n] for n in range(4, len(echoed) + 1) if echoed[:n] in failure.message]
    assert not shown, f"the setting's start reached the failure: {failure.message[-80:]!r}"


@pytest.mark.parametrize("status", [403, 429, 500, 400, 200], ids=lambda status: f"http-{status}")
async def test_every_failure_that_quotes_the_endpoint_masks_a_setting_before_its_cut(
    monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    """Refusals, limits, outages, bad requests, and a 200 that is no JSON (its quote is made in the answer's thread)."""
    secret = f"tide {uuid.uuid4().hex[:5]} lantern moss"
    monkeypatch.setenv("ORCHESTRA_SECRET_GATEWAY", secret)
    with scripted([_refusal(secret, status)]) as (base, _seen):
        async with ChatClient(LLMConfig(base_url=base, model="m", timeout_s=30)) as chat:
            with pytest.raises(LLMError) as failed:
                await chat.chat(ChatRequest(messages=[Message(role="user", content="hi")]))
    failure = masked_failure(failed.value)
    assert "x" * 50 in failure.message and "***" in failure.message, failure.message
    assert secret[:7] not in failure.message, failure.message[-80:]
