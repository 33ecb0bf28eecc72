"""An endpoint echoing its key with a control character inside it: the masker looks for the key whole, so
``sk-…\\x1b…`` is not masked, and the views dropped the control, joining the key again on the operator's
screen (`status`, the Web UI's details, the worker's console log). Each view shows the control as its escape
instead. Real HTTP on loopback; the CLI's own console, the details' text and the console log."""

from __future__ import annotations

import io
import logging
import uuid

import pytest
import structlog

from orchestra.cli.context import console_for
from orchestra.details import text
from orchestra.llm import ChatClient, ChatRequest, LLMConfig, Message
from orchestra.telemetry.logging import configure_logging
from orchestra.text import one_line, printable
from tests.llm_server import completion, scripted

# A carriage return is a space (CRLF text stays readable); the others show as their escape.
SPLITTERS = ["\x1b", "\x00", "\x07", "\x08", "\x7f", "\x9b", "\x85", "\r"]
# A line end the masker reads a long key wrapped across (tests/security/test_secret_quoting_forms.py): masked whole.
WRAPPED = {"\r"}


@pytest.mark.parametrize("splitter", SPLITTERS, ids=[f"U+{ord(c):04X}" for c in SPLITTERS])
async def test_a_key_split_by_a_control_is_not_joined_again_where_it_is_shown(splitter: str) -> None:
    key = f"sk-live-{uuid.uuid4().hex}"
    echoed = f"{key[:12]}{splitter}{key[12:]}"
    with scripted([completion(f"the key is {echoed}, as asked")]) as (base, _seen):
        llm = LLMConfig(base_url=base, model="scripted", api_key=key, timeout_s=30)
        async with ChatClient(llm) as chat:
            answer = await chat.chat(ChatRequest(messages=[Message(role="user", content="hi")]))
    said = answer.message.content or ""
    if splitter in WRAPPED:
        assert key[:12] not in said and key[12:] not in said and "the key is" in said, repr(said)
        return
    assert splitter in said, "the masker sees no key: the views must not make one"
    screen = io.StringIO()
    console_for(screen).print(said)
    log = io.StringIO()
    configure_logging("console", stream=log)
    try:
        structlog.get_logger("t").warning("model said", said=said)
    finally:
        logging.getLogger().handlers = [h for h in logging.getLogger().handlers if h.get_name() != "orchestra"]
    for view in (printable(said), one_line(said), text(said), screen.getvalue(), log.getvalue()):
        assert key not in view and "the key is" in view, repr(view)
        assert splitter not in view, repr(view)


def test_a_control_is_shown_as_its_escape() -> None:
    assert printable("a\x1b[31mb\x00c\r\nd") == "a\\u001b[31mb\\u0000c \nd"
