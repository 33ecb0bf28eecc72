"""A place at a sentence's end survives it (plan101): "run 'ls' in .." ran `ls` in the workspace, the analysis
having cut ".." off as the sentence's end ("run ls in"), so no place was left to read; so did "in .", "in . now".
"in ~." and "on ../." kept theirs (their last dot ends the sentence)."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import shell_commands


@pytest.mark.parametrize(
    ("task", "place"),
    [
        ("run 'ls' in ..", ".."),
        ("run 'ls' in .", "."),
        ("run 'ls' in .. please", ".."),
        ("run 'wc -l' on . Then stop.", "."),
        ("run 'ls' in ~.", "~"),
        ("run 'ls' on ../.", "../"),
    ],
)
async def test_a_place_ending_its_sentence_asks_for_the_command(task: str, place: str) -> None:
    commands, warnings = await shell_commands(task)
    assert commands == ["${inputs.shell_cmd}"], commands
    # a folder above the workspace is a path since attack147, asked for as outside it
    assert any(f"names {place!r}" in w or (f"{place!r}" in w and "outside the workspace" in w) for w in warnings), (
        warnings
    )


@pytest.mark.parametrize("task", ["run 'ls'. Then run 'pwd'.", "run 'ls' and stop..."])
async def test_a_sentence_end_alone_is_no_place(task: str) -> None:
    commands, _ = await shell_commands(task)
    assert "${inputs.shell_cmd}" not in commands, commands
