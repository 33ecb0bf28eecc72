"""Values a request says that the planner had no reading for (fix106): each is read, or what it changes is asked
for with why. "run 'sleep 10' 3 times" ran once, "wait 10 seconds 5" waited 10 s (the 5 dropped unsaid), "run
'sleep 100' with a 200 s timeout" was asked for as past the default 60 s, "roll 2.5 dice" was asked without why."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.temporal_bounds import MAX_TOOL_TIMEOUT_S
from tests.intelligence.reading import calls_asked_and_said

TYPED = Path(__file__).with_name("typed_tools.yaml")


async def _planned(task: str) -> tuple[list[tuple[str, dict[str, object]]], list[str], list[str]]:
    return await calls_asked_and_said(task, TYPED)


@pytest.mark.parametrize(
    ("task", "asked", "why"),
    [
        ("run 'sleep 10' 3 times", "shell_cmd", "'3 times'"),
        ("run 'ls' twice", "shell_cmd", "'twice'"),
        ("execute 'date' five times", "shell_cmd", "'five times'"),
        ("wait 10 seconds 5 times", "sleep_seconds", "'5 times'"),
        ("wait 10 seconds 5", "sleep_seconds", "the number 5 after '10 seconds'"),
        ("wait 90 s 10", "sleep_seconds", "the number 10 after '90 s'"),
        ("wait 1 hour 300", "sleep_seconds", "the number 300 after '1 hour'"),  # no 300 minutes in an hour's rest
        ("roll 2.5 dice", "roll_dice_dice", "a whole number, not 2.5"),
        ("roll 3 dice and 4 dice", "roll_dice_dice", "'dice' is said 2 times (3, 4)"),
    ],
)
async def test_a_value_no_reading_takes_asks_with_why(task: str, asked: str, why: str) -> None:
    _, missing, said = await _planned(task)
    assert missing == [asked], missing
    assert any(why in s for s in said), said


@pytest.mark.parametrize(
    ("task", "timeout"),
    [
        ("run 'sleep 100' with a 200 s timeout", 200.0),
        ("run 'sleep 100' with a timeout of 5 minutes", 300.0),
        ("run 'ls' with a 30 s time limit", 30.0),
        ("run 'sleep 100' with a 2 hour timeout", float(MAX_TOOL_TIMEOUT_S)),  # within the tool's ceiling
    ],
)
async def test_a_timeout_said_is_the_calls(task: str, timeout: float) -> None:
    calls, missing, _ = await _planned(task)
    assert missing == [] and len(calls) == 1, (calls, missing)
    assert calls[0][0] == "shell" and calls[0][1]["timeout_s"] == timeout, calls


@pytest.mark.parametrize(
    ("task", "why"),
    [
        ("run 'sleep 300' with a 200 s timeout", "past the shell's timeout of 200 s"),  # judged with the said one
        ("run 'sleep 5000' with a 2 hour timeout", "past the shell's timeout of 3600 s"),
    ],
)
async def test_a_command_past_the_timeout_said_is_asked_for(task: str, why: str) -> None:
    calls, missing, said = await _planned(task)
    assert missing == ["shell_cmd"], (calls, missing)
    assert any(why in s for s in said), said


@pytest.mark.parametrize(
    ("task", "call"),
    [
        ("run 'sleep 10'", ("shell", {"cmd": "sleep 10"})),
        ("sleep 0h50m", ("sleep", {"seconds": 3000.0})),
        ("wait 2 min 30, then read notes.txt", ("sleep", {"seconds": 150.0})),
        ("sleep 1 hour 30 times", ("sleep", {"seconds": "${inputs.sleep_seconds}"})),  # asked: a repeat
        ("roll 5 dice", ("roll_dice", {"dice": 5})),
    ],
)
async def test_what_was_read_stays(task: str, call: tuple[str, dict[str, object]]) -> None:
    calls, _, _ = await _planned(task)
    assert calls[0] == call, calls
