"""A phone number or a chat channel the user says a thing goes to is bound to the tool's input for it: "Send 'hello'
to +15550100" found the SMS tool and asked for the number. A channel is no phone number (asked still), and words of
what is sent ("Send 'reply to 5550100' to Bob") say no place."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans

_HERE = Path(__file__).parent
_SMS = _HERE / "travel_tools.yaml"  # text_message: phone, text
_CHAT = _HERE / "side_effect_tools.yaml"  # post_message: channel, text


async def _call(task: str, catalogue: Path, tool: str) -> tuple[dict[str, object], list[str]]:
    result = (await plan_task(task, as_the_cli_plans(catalogue))).execution
    assert result.plan is not None, result.problems
    calls = [dict(n.args) for n in result.plan.nodes if n.tool == tool]
    assert len(calls) == 1, result.plan.nodes
    return calls[0], list(result.missing_inputs)


@pytest.mark.parametrize(
    ("task", "catalogue", "tool", "field", "value"),
    [
        ("Send 'hello' to +15550100", _SMS, "text_message", "phone", "+15550100"),
        ("Send 'hello' to +1 555 010 0100", _SMS, "text_message", "phone", "+1 555 010 0100"),
        ("Send 'hello' to 555-010-0100", _SMS, "text_message", "phone", "555-010-0100"),
        ("Send notes.txt to +15550100", _SMS, "text_message", "phone", "+15550100"),
        ("Please send 'on my way' to +447700900123", _SMS, "text_message", "phone", "+447700900123"),
        ("Send a text 'hi' to +15550100", _SMS, "text_message", "phone", "+15550100"),
        ("Post 'hello' to #ops", _CHAT, "post_message", "channel", "#ops"),
        ("Post 'hello' in the #dev-team channel", _CHAT, "post_message", "channel", "#dev-team"),
        ("Post 'deploy done' on #releases", _CHAT, "post_message", "channel", "#releases"),
        ("Post notes.txt to the channel #ops", _CHAT, "post_message", "channel", "#ops"),
    ],
)
async def test_the_place_said_is_bound(task: str, catalogue: Path, tool: str, field: str, value: str) -> None:
    args, asked = await _call(task, catalogue, tool)
    assert args[field] == value, args
    assert f"{tool}_{field}" not in asked


@pytest.mark.parametrize(
    ("task", "catalogue", "tool", "field"),
    [
        ("Send 'hello' to #ops", _SMS, "text_message", "phone"),
        ("Send 'reply to 5550100' to Bob", _SMS, "text_message", "phone"),
        ("Send 'hello' to the number in b.txt", _SMS, "text_message", "phone"),
        ("Send 'call 5550100' to Bob", _SMS, "text_message", "phone"),
        ("Send 'hello' to Bob", _SMS, "text_message", "phone"),
        ("Post 'hello' to Slack", _CHAT, "post_message", "channel"),
        ("Post 'hello #ops' to Slack", _CHAT, "post_message", "channel"),
        ("Post 'see #ops' to Slack", _CHAT, "post_message", "channel"),
        ("Post 'hello'", _CHAT, "post_message", "channel"),
        ("Post 'room 1234567' to Slack", _CHAT, "post_message", "channel"),
    ],
)
async def test_no_place_said_is_asked(task: str, catalogue: Path, tool: str, field: str) -> None:
    args, asked = await _call(task, catalogue, tool)
    assert f"{tool}_{field}" in asked, (args, asked)
