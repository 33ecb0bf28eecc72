"""Every place the words around a command name that its call is not given asks for the command (fix100): a path
from home, from a drive, from above, a hidden file, a relative path with a slash, a "file://" URL, a quote that is
no command, and each call of a step fanned over its commands ("run 'ls /tmp' and 'ls' in /var" listed the
workspace). A device is known in any spelling the kernel resolves ("//dev/zero", "-f/dev/zero"), and a file a
command line names is not given to it twice. Requests written for these tests, the built-ins and the media
catalogue."""

from __future__ import annotations

import pytest

from orchestra.commands import never_ends
from tests.intelligence.reading import shell_commands


@pytest.mark.parametrize(
    ("task", "place"),
    [
        ("run 'ls' in ~", "~"),  # was `ls` in the workspace
        ("run cat on ~/.ssh/id_rsa", "~/.ssh/id_rsa"),  # was `cat` on an empty stdin: "" as if the key were empty
        ("run cat on .secret", ".secret"),  # plan124: ".env" is a file of convention, read
        ("run 'ls' in C:\\Windows", "\\Windows"),
        ("run cat on file:///etc/passwd", "///etc/passwd"),
        ("run grep -r 'x' on ../", "../"),  # grepped the workspace
        ("run grep -r 'x' in ~", "~"),
        ("run cat on docs/NOTES", "docs/NOTES"),  # plan124: "docs/README" is a file of convention
        (
            "run grep 'x' on the file '/etc/shadow'",
            "/etc/shadow",
        ),  # a quote that is no command: only "given to no call"
    ],
)
async def test_a_place_of_any_shape_the_command_is_not_given_asks_for_it(task: str, place: str) -> None:
    commands, warnings = await shell_commands(task)
    assert commands == ["${inputs.shell_cmd}"], commands
    assert any(
        (f"names {place!r}" in w and "the command is asked for" in w)
        or (f"{place!r}" in w and "outside the workspace" in w)  # a path since attack147, asked for as outside it
        or (f"{place!r}" in w and "would not read as written" in w)  # a key's name is a file's since attack168
        for w in warnings
    ), warnings


@pytest.mark.parametrize(
    ("task", "place"),
    [
        ("run 'ls /tmp' and 'ls' in /var", "/var"),  # `ls` listed the workspace
        ("run 'wc -l' and 'cat' on /dev/zero", "/dev/zero"),  # both ran on an empty stdin
    ],
)
async def test_each_call_of_a_fanned_step_is_checked_for_places(task: str, place: str) -> None:
    commands, warnings = await shell_commands(task)
    assert commands == ["${inputs.shell_cmd}", "${inputs.shell_cmd}"], commands
    assert sum(f"names {place!r}" in w for w in warnings) == 2, warnings


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        ("run 'ls /tmp' and 'ls /var'", ["ls /tmp", "ls /var"]),  # a place another call's command holds is its
        ("run 'ls' in src/", ["ls"]),  # where it runs
        ("run grep -r 'TODO' in src/", ["grep -r -e TODO"]),
        ("run grep 'x' on notes.txt.", ["grep -e x notes.txt"]),
        ("run 'wc -l' on a.txt and b.txt", ["wc -l a.txt b.txt"]),
        ("run 'cat notes.txt' on notes.txt and a.txt", ["cat notes.txt a.txt"]),  # was `cat notes.txt notes.txt a.txt`
    ],
)
async def test_places_the_command_is_given_run(task: str, expected: list[str]) -> None:
    commands, _ = await shell_commands(task)
    assert commands == expected


@pytest.mark.parametrize(
    "command",
    [
        "cat /dev/./zero",
        "cat /dev//zero",
        "cat //dev/zero",
        "cat /dev/../dev/zero",
        "cat /proc/self/root/dev/zero",
        "cat /dev/hwrng",
        "grep -f/dev/zero x",
        "grep --file=/dev/zero x",
        "wc --files0-from=/dev/zero",
        "head -n 5 //dev/zero",
    ],
)
def test_a_device_in_any_spelling_never_ends(command: str) -> None:
    assert never_ends(command, 60.0) is not None


@pytest.mark.parametrize("command", ["head -c 5 /dev/./zero", "ls //dev/zero", "cat dev/zero", "cat /dev/zeros"])
def test_a_device_read_to_a_count_or_not_read_ends(command: str) -> None:
    assert never_ends(command, 60.0) is None
