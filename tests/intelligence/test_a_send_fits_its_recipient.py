"""A send's tool fits its recipient (plan354): "Send 'hello' to bob@x.com" (third-party catalogue) picked send_sms,
the address then given to no call. An e-mail address chooses a tool with an e-mail recipient input, a phone number
one with a phone input, a #channel a chat tool, by the tools' inputs, not their names."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.selection.recipient_kind import recipient_kind
from tests.intelligence.reading import as_the_cli_plans

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"

_TO_AN_ADDRESS = [
    "Send 'hello' to bob@x.com",
    "Send 'the build is done' to ops@example.com",
    "Notify bob@x.com that the build is done",
    "Send the message 'lunch at noon' to carol@example.org",
    "Send 'hi' to dave.smith+work@mail.example.com",
    "Notify alice@example.com: 'deploy finished'",
]
_TO_A_PHONE = [
    "Send 'hello' to +15550100",
    "Text 'on my way' to 555-1234",
    "Send 'running late' to +447700900123",
    "Notify +15550199 that the build is done",
]
_TO_A_CHANNEL = [
    "Send 'hello' to #ops",
    "Send 'deploy finished' to #general",
    "Notify #builds that the build is done",
]


async def _tool_of_the_send(task: str) -> str:
    result = await plan_task(task, as_the_cli_plans(THIRD_PARTY))
    assert result.execution.plan is not None, result.execution.problems
    sends = [n.tool for n in result.execution.plan.nodes if n.tool in {"send_email", "send_sms", "post_message"}]
    assert len(set(sends)) == 1, [n.tool for n in result.execution.plan.nodes]
    return sends[0]


@pytest.mark.parametrize("task", _TO_AN_ADDRESS)
async def test_an_address_is_sent_to_by_email(task: str) -> None:
    assert await _tool_of_the_send(task) == "send_email"


@pytest.mark.parametrize("task", _TO_A_PHONE)
async def test_a_phone_number_is_sent_to_by_sms(task: str) -> None:
    assert await _tool_of_the_send(task) == "send_sms"


@pytest.mark.parametrize("task", _TO_A_CHANNEL)
async def test_a_channel_is_posted_to_by_chat(task: str) -> None:
    assert await _tool_of_the_send(task) == "post_message"


@pytest.mark.parametrize(
    "text",
    [
        "Resize photo.jpg to 100x100",
        "Convert 100 USD to EUR",
        "Read issue #12",
        "Count the words in notes.txt",
        "Fetch https://example.com/page#top",
        "Send 'hello' to bob@x.com and +15550100",
    ],
)
def test_no_one_kind_of_recipient_is_read_where_none_or_several_are_said(text: str) -> None:
    assert recipient_kind(text) is None
