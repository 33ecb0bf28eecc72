"""What a sentence may make the shell run (fix90): a command that never ends by itself is asked for with why, not
run into the shell's timeout; a quote after a program named unquoted is that program's argument, never the command
line ("run grep 'rm -rf x' on a.txt" ran `rm -rf x`); a started quote that writes a file is asked for; a number
before the noun an input is named for is its value ("roll 5 dice"); "1h30" is 90 minutes and "the 90s" a decade.
Requests written for these tests, the built-ins and the typed catalogue."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from orchestra.analysis.data import extract
from orchestra.commands import never_ends
from tests.intelligence.reading import plan_read, shell_commands

TYPED = Path(__file__).with_name("typed_tools.yaml")


@pytest.mark.parametrize(
    ("task", "why"),
    [
        ("run tail -f on log.txt", "tail follows"),  # was `tail -f log.txt`: 60 s, then a timeout error, retried
        ("run tail -F on a.txt and b.txt", "tail follows"),
        ("run 'tail --follow=name' on log.txt", "tail follows"),
        ("run 'tail -n 5 -f' on log.txt", "tail follows"),
        ("run 'sleep infinity'", "sleep waits forever"),
        ("run 'sleep 2h'", "past the shell's timeout"),
        ("run 'sleep 30 30'", "past the shell's timeout"),  # sleep sums its operands: 60 s is the timeout
        ("run 'yes'", "yes prints"),
        ("run 'ping example.com'", "ping sends"),
        ("run 'top'", "top refreshes"),
        ("read log.txt and run 'tail -f' on it", "tail follows"),
    ],
)
async def test_a_command_that_never_ends_is_asked_for_with_why(task: str, why: str) -> None:
    commands, warnings = await shell_commands(task)
    assert commands == ["${inputs.shell_cmd}"], commands
    assert any(why in w and "the command is asked for" in w for w in warnings), warnings


@pytest.mark.parametrize(
    ("task", "command"),
    [
        ("run 'tail -n 5' on log.txt", "tail -n 5 log.txt"),
        ("run 'sleep 5'", "sleep 5"),
        ("run cat on notes.txt", "cat notes.txt"),
        ("run 'ping -c 3 example.com'", "ping -c 3 example.com"),
    ],
)
async def test_a_command_that_ends_still_runs(task: str, command: str) -> None:
    assert (await shell_commands(task))[0] == [command]


@pytest.mark.parametrize(
    ("command", "endless"),
    [
        ("tail -5f a", True),  # the old form: GNU reads f as --follow
        ("tail --fo a", True),  # a prefix of --follow
        ("tail -- -f", False),  # a file named -f
        ("tail -n f a", False),  # f is the count (refused by tail at once)
        ("top -b -n 1", False),
        ("ping -Ic eth0 h", True),  # c is -I's value, no count
        ("vmstat 1", True),
        ("vmstat 1 5", False),
        ("sleep 0x1p30", True),  # strtod reads hexadecimal
        ("cat", False),  # the shell tool gives an empty standard input
        ("watch ls", True),
    ],
)
def test_never_ends_reads_the_options_as_the_program_does(command: str, endless: bool) -> None:
    assert (never_ends(command, 60.0) is not None) is endless


@pytest.mark.parametrize(
    ("task", "argv"),
    [
        ("run grep 'TODO' on notes.txt", ["grep", "-e", "TODO", "notes.txt"]),  # was the command line `TODO`
        ("run grep 'rm -rf x' on notes.txt", ["grep", "-e", "rm -rf x", "notes.txt"]),  # was `rm -rf x`
        ("run grep '-f /etc/passwd' on notes.txt", ["grep", "-e", "-f /etc/passwd", "notes.txt"]),
        ("Run grep -i 'to do' in a.txt and b.txt", ["grep", "-i", "-e", "to do", "a.txt", "b.txt"]),
        ("run grep 'a$(id)b' on -x.txt", ["grep", "-e", "a$(id)b", "./-x.txt"]),
    ],
)
async def test_grep_with_a_quoted_pattern_takes_it_as_one_argument(task: str, argv: list[str]) -> None:
    commands, _ = await shell_commands(task)
    assert len(commands) == 1 and shlex.split(str(commands[0])) == argv, commands


@pytest.mark.parametrize(
    ("task", "quote"),
    [
        ("run grep -C 'TODO' on notes.txt", "TODO"),  # -C takes a value: the quote would be the context's size
        ("run foo 'rm -rf x'", "rm -rf x"),
        ("run the report on 'hello'", "hello"),
        ("run echo '-n hi'", "-n hi"),  # an option to echo (fix106: "run echo 'hi'" is `echo hi`)
        ("in the folder, rm x.log, run foo 'rm x.log'", "rm x.log"),  # the quote's words said before the verb
    ],
)
async def test_a_quote_after_a_program_named_is_never_the_command_line(task: str, quote: str) -> None:
    commands, warnings = await shell_commands(task)
    assert set(commands) <= {"${inputs.shell_cmd}"}, commands  # asked for, or no shell at all
    assert any(w.startswith(repr(quote)) for w in warnings), warnings


@pytest.mark.parametrize("task", ["run the shell command 'ls'", "type 'ls' in the terminal", "execute 'ls -la'"])
async def test_a_quote_the_verb_runs_is_still_the_command(task: str) -> None:
    commands, _ = await shell_commands(task)
    assert len(commands) == 1 and "${" not in str(commands[0]), commands


@pytest.mark.parametrize(
    ("task", "written"),
    [
        ("start the command 'sort -o notes.txt' in bold", "notes.txt"),  # notes.txt was emptied
        ("kick off the program 'uniq a.txt b.txt'", "b.txt"),
        ("fire up the command 'tee x.txt'", "x.txt"),
    ],
)
async def test_a_started_command_that_writes_a_file_is_asked_for(task: str, written: str) -> None:
    commands, warnings = await shell_commands(task)
    assert commands == ["${inputs.shell_cmd}"], commands
    assert any(f"would write {written!r}" in w for w in warnings), warnings


async def test_a_run_command_that_writes_where_said_still_runs() -> None:
    assert (await shell_commands("run 'sort -o out.txt notes.txt'"))[0] == ["sort -o out.txt notes.txt"]


@pytest.mark.parametrize(
    ("task", "args"),
    [
        ("roll 5 dice", {"dice": 5}),  # was asked for
        ("roll five dice", {"dice": 5}),
        ("roll one die", {"dice": 1}),
        ("roll 5 dice with 6 sides", {"dice": 5, "sides": 6}),
        ("roll 5 red dice", {"dice": 5}),
    ],
)
async def test_a_number_before_the_noun_an_input_is_named_for_is_its_value(task: str, args: dict[str, int]) -> None:
    nodes, _, missing = await plan_read(task, TYPED)
    assert [n.args for n in nodes] == [args] and not missing


@pytest.mark.parametrize(
    "task", ["roll 2.5 dice", "roll 3 dice and 4 dice", "roll the dice 5 times", f"roll {'9' * 5000} dice"]
)
async def test_a_number_an_input_cannot_take_alone_is_asked_for(task: str) -> None:
    _, _, missing = await plan_read(task, TYPED)
    assert missing == ["roll_dice_dice"]


@pytest.mark.parametrize(
    ("said", "seconds"),
    [
        ("1h30", 5400.0),  # was one hour (asked for since attack82)
        ("2m30", 150.0),
        ("1h5m10", 3910.0),
        ("1h30m", 5400.0),
        ("90s", 90.0),
        ("1 hour 30", 5400.0),  # was one hour, the 30 dropped in silence
        ("2 min 30, then read a.txt", 150.0),
        ("1 hour 30 times", 3600.0),  # a number a noun follows is no part of the wait
    ],
)
def test_a_duration_whose_last_number_has_no_unit(said: str, seconds: float) -> None:
    assert [d.value for d in extract(f"Sleep {said}").items if d.kind == "number"] == [seconds]


@pytest.mark.parametrize("task", ["play songs from the 90s", "music of the '80s", "films of the 1990s"])
def test_a_decade_is_no_duration(task: str) -> None:
    assert [d for d in extract(task).items if d.kind == "number"] == []
