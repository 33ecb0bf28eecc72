"""attack385 (issue 8): the environment printed by a command not at the line's start, or with an option, or by an
interpreter's code (``cd /tmp && printenv``, ``sudo printenv``, ``env -0``, ``typeset -x``, ``python -c '...os.environ'``,
``ruby -e 'p ENV'``), or a variable whose name says secret (``echo $AWS_SECRET_ACCESS_KEY``), was posted unasked:
the line was judged by its start. Each simple command of a line is judged, past its prefixes; sending what it prints
is asked. Commands printing nothing secret keep their plans."""

from __future__ import annotations

import shlex

import pytest

from orchestra.analysis.shell_reads import THE_ENVIRONMENT, secret_variable, shell_reads
from tests.intelligence.posted_unasked import run_and_posted_unasked


@pytest.mark.parametrize(
    "command",
    [
        "python -c 'import os;print(os.environ)'",
        "cd /tmp && printenv",
        "sudo printenv",
        "env -0",
        "typeset -x",
        "ruby -e 'p ENV'",
        "echo $AWS_SECRET_ACCESS_KEY",
        "time printenv",
        "nice -n 5 printenv",
        "command printenv",
        "timeout 5 env",
        "env -u HOME",
        "env --null",
        "export -p | sort",
        "declare -x | grep AWS",
        "date && set",
        "perl -e 'print %ENV'",
        "node -p process.env",
        "php -r 'print_r(getenv());'",
        "awk 'BEGIN{for (k in ENVIRON) print k, ENVIRON[k]}'",
        'python3 -c "import os; print(dict(os.environ))"',
        "sh -c 'cd / && printenv'",
        'bash -lc "export -p"',
        'echo "$GITHUB_TOKEN"',
        "printf '%s' \"$DATABASE_URL\"",
        "printenv AWS_SECRET_ACCESS_KEY",
        "ps eww",
        "gh auth status --show-token",
        "cd repo && git config -l",
    ],
)
async def test_what_any_command_of_a_line_prints_of_the_environment_is_asked(command: str) -> None:
    unasked, calls = await run_and_posted_unasked(command)
    assert not unasked, calls


@pytest.mark.parametrize(
    "command",
    [
        "date",
        "echo hello",
        "echo $HOME",
        'echo "Hello $USER"',
        "python -c 'print(1+1)'",
        "node -e 'console.log(1)'",
        "cat environment.md",
        "set -e; date",
        "export FOO=bar; echo $FOO",
        "printenv HOME",
        "ls ~/.ssh",
        "wc -l notes.txt",
        "uname -a",
        "env python3 script.py",
        "grep ENV_NAME notes.txt",
    ],
)
async def test_commands_printing_nothing_secret_keep_their_plans(command: str) -> None:
    unasked, calls = await run_and_posted_unasked(command)
    assert unasked, calls


@pytest.mark.parametrize(
    "line",
    [
        "a; printenv",
        "a || printenv",
        "a | printenv",
        "a & printenv",
        "a\nprintenv",
        "(printenv)",
        "echo $(printenv)",
        "echo `printenv`",
        "time -p printenv",
        "env -S 'printenv'",
        "sudo -u root -- printenv",
        "if true; then printenv; fi",
    ],
)
def test_every_simple_command_of_a_line_is_judged(line: str) -> None:
    assert THE_ENVIRONMENT in shell_reads(line).untold


def _nested(times: int) -> str:
    line = "printenv"
    for _ in range(times):
        line = f"sh -c {shlex.quote(line)}"
    return line


@pytest.mark.parametrize("line", ["nice " * 100 + "printenv", _nested(3), _nested(10), "cat 'open"])
def test_a_line_not_read_whole_is_untold(line: str) -> None:
    assert shell_reads(line).untold


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("AWS_SECRET_ACCESS_KEY", True),
        ("GITHUB_TOKEN", True),
        ("OPENAI_API_KEY", True),
        ("apiKey", True),
        ("DB_PASSWORD", True),
        ("DATABASE_URL", True),
        ("SENTRY_DSN", True),
        ("HOME", False),
        ("PWD", False),
        ("KEYBOARD_LAYOUT", False),
        ("MONKEY", False),
        ("PATH", False),
    ],
)
def test_names_of_secret_variables(name: str, secret: bool) -> None:
    assert secret_variable(name) is secret
