"""Work a request names that the plan did otherwise, noted or not at all (fix117, from attack110 / 112 / 114's
left items), with the built-ins as `client.py plan` has them: "roll 5 dice 3 times" rolled once with only a note."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import calls_asked_and_said

TYPED = Path(__file__).with_name("typed_tools.yaml")


@pytest.mark.parametrize(
    ("task", "asked", "said"),
    [
        ("roll 5 dice 3 times", "roll_dice_dice", "'3 times'"),
        ("roll 2 dice twice", "roll_dice_dice", "'twice'"),
        ("fetch https://example.com/a 3 times", "http_request_url", "'3 times'"),
    ],
)
async def test_a_repeat_of_any_tool_is_asked_for(task: str, asked: str, said: str) -> None:
    calls, missing, notes = await calls_asked_and_said(task, TYPED)
    assert missing == [asked], (calls, missing)
    assert any(said in n and "asked for" in n for n in notes), notes


async def test_a_call_said_once_is_still_made() -> None:
    calls, missing, _ = await calls_asked_and_said("roll 5 dice", TYPED)
    assert (calls, missing) == ([("roll_dice", {"dice": 5})], [])
