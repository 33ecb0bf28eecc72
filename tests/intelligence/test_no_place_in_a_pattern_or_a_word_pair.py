"""What fix100's place and device checks read as places that are none (plan101): "grep -e /dev/zero x" was asked
for as endless (a pattern that spells a device is no file read); "TCP/IP" and "I/O" (acronyms), "and/or" (small
words, which also split the clause at its "and") in a run clause were read as relative places, and the command
asked for. Files stay files: a device after the pattern, or as the file of patterns, still never ends, and a
path with a slash is still a place."""

from __future__ import annotations

import pytest

from orchestra.commands import never_ends
from tests.intelligence.reading import shell_commands


@pytest.mark.parametrize(
    "command",
    [
        "grep -e /dev/zero x",
        "grep -e/dev/zero x",
        "grep --regexp=/dev/zero x",
        "grep -ie /dev/zero x",
        "grep /dev/zero x",
        "grep -- /dev/zero x",
        "sed -e /dev/zero/d x",
        "awk /dev/zero x",
    ],
)
def test_a_pattern_spelling_a_device_is_no_file_read(command: str) -> None:
    assert never_ends(command) is None


@pytest.mark.parametrize(
    "command",
    [
        "grep x /dev/zero",
        "grep -e x /dev/zero",
        "grep -f /dev/zero x",
        "grep -f/dev/zero x",
        "grep --file=/dev/zero x",
        "grep -m 1 x /dev/zero",
        "grep x -- /dev/zero",
        "sed s/a/b/ /dev/zero",
        "sed -f /dev/zero x",
    ],
)
def test_a_device_read_as_a_file_still_never_ends(command: str) -> None:
    assert never_ends(command) is not None


@pytest.mark.parametrize(
    ("task", "command"),
    [
        ("run 'echo x' over TCP/IP", "echo x"),
        ("run 'ls' over I/O", "ls"),
        ("run 'ls' and/or stop", "ls"),
        ("run 'grep -e /dev/zero x'", "grep -e /dev/zero x"),
    ],
)
async def test_a_word_pair_or_a_pattern_is_no_place(task: str, command: str) -> None:
    commands, _ = await shell_commands(task)
    assert commands == [command]


@pytest.mark.parametrize(("task", "place"), [("run 'ls' in a/b", "a/b"), ("run 'ls' in docs/NOTES", "docs/NOTES")])
async def test_a_path_with_a_slash_is_still_a_place(task: str, place: str) -> None:
    commands, warnings = await shell_commands(task)
    assert commands == ["${inputs.shell_cmd}"], commands
    assert any(f"names {place!r}" in w for w in warnings), warnings
