"""Timeouts and repeats said in ways fix106's reading took in silence (attack110): of two timeouts the first was
the call's, "a timeout of 0 seconds" failed planning on the shell's schema, a timeout said for an HTTP request or a
wait was dropped (the request ran with its 30 s), and "3.5 times" or "-3 times" ran the command once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import calls_asked_and_said

TYPED = Path(__file__).with_name("typed_tools.yaml")


async def _planned(task: str) -> tuple[list[tuple[str, dict[str, object]]], list[str], list[str]]:
    return await calls_asked_and_said(task, TYPED)


@pytest.mark.parametrize(
    ("task", "why"),
    [
        ("run 'sleep 5' with a 10 s timeout and a 20 s timeout", "two timeouts (10 s and 20 s)"),
        ("run 'sleep 5' with a timeout of 0 seconds", "ends the call before it starts"),
        ("run 'ls' 3.5 times", "'3.5 times'"),
        ("run 'ls' -3 times", "'-3 times'"),
        ("run echo 'hi' 3 times", "'3 times': a step runs its command once"),  # not "the plan does it once"
    ],
)
async def test_the_command_is_asked_for_with_why(task: str, why: str) -> None:
    calls, missing, said = await _planned(task)
    assert missing == ["shell_cmd"], (calls, missing)
    assert any(why in s for s in said), said


async def test_a_timeout_said_for_a_request_is_its_calls() -> None:
    calls, missing, _ = await _planned("fetch https://example.com/a with a 200 s timeout")
    assert (calls, missing) == ([("http_request", {"url": "https://example.com/a", "timeout_s": 200.0})], [])


@pytest.mark.parametrize(
    ("task", "call", "why"),
    [
        ("wait 10 seconds with a 5 s timeout", ("sleep", {"seconds": 10.0}), "its tool (sleep) takes none"),
        (
            "fetch https://example.com/a with a 2 s timeout and a 3 s timeout",
            ("http_request", {"url": "https://example.com/a"}),
            "two timeouts (2 s and 3 s): none is applied",
        ),
    ],
)
async def test_a_timeout_not_applied_is_said(task: str, call: tuple[str, dict[str, object]], why: str) -> None:
    calls, _, said = await _planned(task)
    assert calls == [call], calls
    assert any(why in s for s in said), said
