"""A program named unquoted with its options, then a quoted operand (fix106): the operand is one argument of that
program, or the command is asked for. "run grep --files-with-matches 'x' on notes.txt" listed notes.txt (the long
option's "files" named list_files) and dropped the pattern unsaid; "run echo 'hi'" was asked for."""

from __future__ import annotations

import shlex

import pytest

from tests.intelligence.reading import shell_commands


@pytest.mark.parametrize(
    ("task", "argv"),
    [
        ("run grep --files-with-matches 'x' on notes.txt", ["grep", "--files-with-matches", "-e", "x", "notes.txt"]),
        ("run grep --count 'TODO' on a.txt", ["grep", "--count", "-e", "TODO", "a.txt"]),
        ("run grep --ignore-c -n 'to do' in a.txt", ["grep", "--ignore-c", "-n", "-e", "to do", "a.txt"]),  # a prefix
        ("run grep --files-without 'x' on a.txt", ["grep", "--files-without", "-e", "x", "a.txt"]),
        ("run echo 'hi'", ["echo", "hi"]),
        ("run echo 'hello, world'", ["echo", "hello, world"]),
        ("run echo '$(id) `id`'", ["echo", "$(id) `id`"]),  # one argument: the shell tool runs no shell
    ],
)
async def test_the_quoted_operand_is_one_argument_of_the_program_named(task: str, argv: list[str]) -> None:
    commands, _ = await shell_commands(task)
    assert len(commands) == 1 and shlex.split(str(commands[0])) == argv, commands


@pytest.mark.parametrize(
    ("task", "quote"),
    [
        ("run grep --max-count 'x' on notes.txt", "x"),  # the quote would be the count
        ("run grep --co 'x' on notes.txt", "x"),  # --color, --context or --count: getopt refuses it
        ("run grep --regexp 'x' on notes.txt", "x"),
        ("run grep --frobnicate 'x' on notes.txt", "x"),  # no option grep has
        ("run echo '-n hi'", "-n hi"),  # an option to echo
        ("run echo 'a\\tb'", "a\\tb"),  # a backslash: escapes where echo is a shell's builtin with -e
        ("run echo 'hi' on notes.txt", "hi"),  # echo reads no file
    ],
)
async def test_an_operand_the_program_may_read_otherwise_asks_for_the_command(task: str, quote: str) -> None:
    commands, warnings = await shell_commands(task)
    assert set(commands) <= {"${inputs.shell_cmd}"}, commands
    assert any(w.startswith(repr(quote)) for w in warnings), warnings
