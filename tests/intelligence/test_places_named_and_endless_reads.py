"""What a sentence makes the shell run (attack95): a place the words name that the command is not given is asked
for, not dropped ("run cat on /etc/passwd" ran `cat` on an empty stdin and answered ""), and a file whose reading
never ends is a command that never ends ("run 'cat /dev/zero'" ran until the shell's timeout); a wait or a value the
request says but no reading takes is asked for, not the tool's default ("sleep -5 seconds" slept 1 s). Requests
written for these tests, the built-ins, the media and the typed catalogues."""

from __future__ import annotations

import pytest

from orchestra.commands import never_ends
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, shell_commands
from tests.intelligence.test_commands_ended_and_arguments_kept import TYPED


@pytest.mark.parametrize(
    ("task", "place"),
    [
        ("run cat on /etc/passwd", "/etc/passwd"),  # was `cat`: an empty stdin, "" answered
        ("run grep 'TODO' on /etc/passwd", "/etc/passwd"),  # was `grep -e TODO`
        ("run 'wc -l' on /dev/zero", "/dev/zero"),  # was `wc -l`: 0 lines
        ("run grep 'x' on /dev/zero and notes.txt", "/dev/zero"),  # was notes.txt alone
        ("run 'ls' in /tmp", "/tmp"),  # was `ls` in the workspace
        ("run grep 'x' on https://example.com/a.txt", "https://example.com/a.txt"),  # was an empty stdin grepped
    ],
)
async def test_a_place_the_command_is_not_given_asks_for_it(task: str, place: str) -> None:
    commands, warnings = await shell_commands(task)
    assert commands == ["${inputs.shell_cmd}"], commands
    assert any(f"names '{place}'" in w and "the command is asked for" in w for w in warnings), warnings


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        ("run 'cat /etc/hostname'", ["cat /etc/hostname"]),  # the place is in the command line
        ("run grep '-f /etc/passwd' on notes.txt", ["grep -e '-f /etc/passwd' notes.txt"]),  # a pattern
        ("run 'ls' in /tmp/dir/", ["ls"]),  # where it runs
        ("run 'ls /tmp' and 'ls /var'", ["ls /tmp", "ls /var"]),  # a call each: each names its own
        ("fetch https://example.com/a.txt and run 'wc -l' on it", ["wc -l"]),  # the URL is the fetch's
        ("run 'head -c 5 /dev/urandom'", ["head -c 5 /dev/urandom"]),
    ],
)
async def test_a_place_the_command_is_given_runs(task: str, expected: list[str]) -> None:
    commands, _ = await shell_commands(task)
    assert commands == expected


@pytest.mark.parametrize(
    "command",
    [
        "cat /dev/zero",
        "wc -l /dev/zero",
        "grep -e x /dev/urandom",
        "sort /dev/random",
        "tail -n 1 /dev/zero",
        "head /dev/zero",  # ten lines, and /dev/zero has no newline
        "head -n 5 /dev/zero",
        "head -c -1 /dev/zero",  # all but the last byte: all of it first
        "head --bytes=-1 /dev/urandom",
        "sleep -- 100",  # "--" ends sleep's options: 100 s, past the timeout
    ],
)
def test_a_command_reading_without_end_never_ends(command: str) -> None:
    assert never_ends(command, 60.0) is not None


@pytest.mark.parametrize(
    "command",
    [
        "head -c 5 /dev/zero",
        "head --bytes 5 /dev/zero",
        "head -n 5 /dev/urandom",
        "ls /dev/zero",
        "echo /dev/zero",
        "sleep -- 5",
    ],
)
def test_a_command_that_stops_or_only_names_the_file_ends(command: str) -> None:
    assert never_ends(command, 60.0) is None


async def test_a_quoted_command_reading_a_device_is_asked_for() -> None:
    commands, warnings = await shell_commands("run 'cat /dev/zero'")
    assert commands == ["${inputs.shell_cmd}"], commands
    assert any("cat reads /dev/zero" in w for w in warnings), warnings


@pytest.mark.parametrize(
    "task", ["sleep -5 seconds", "sleep a million seconds", "wait a day", "wait two thousand seconds"]
)
async def test_a_wait_no_reading_of_durations_took_is_asked_for(task: str) -> None:
    # each slept the sleep tool's default of 1 s in silence: no digit stood alone ("-5", "a million", "a day")
    result = await plan_task(task, default_registry([MEDIA]))
    assert result.execution.plan is not None, result.execution.problems
    assert [n.args for n in result.execution.plan.nodes] == [{"seconds": "${inputs.sleep_seconds}"}]


@pytest.mark.parametrize(
    ("task", "seconds"), [("wait a bit", 1.0), ("sleep for a while", 1.0), ("sleep 5 seconds", 5.0)]
)
async def test_a_wait_said_without_a_number_or_read_keeps_its_seconds(task: str, seconds: float) -> None:
    result = await plan_task(task, default_registry([MEDIA]))
    assert result.execution.plan is not None, result.execution.problems
    assert [n.args for n in result.execution.plan.nodes] == [{"seconds": seconds}]


@pytest.mark.parametrize("task", ["roll 5 dice with 999999999999999999999 sides", "roll 5 dice with 2.5 sides"])
async def test_a_value_said_for_an_optional_input_that_it_cannot_take_is_asked_for(task: str) -> None:
    # the sides were dropped in silence (the input is optional) and the dice rolled with the tool's default
    result = await plan_task(task, default_registry([MEDIA, TYPED]))
    assert result.execution.plan is not None, result.execution.problems
    assert [n.args for n in result.execution.plan.nodes] == [{"dice": 5, "sides": "${inputs.roll_dice_sides}"}]
