"""The exit codes are said in one place (orchestra/cli/errors.py): the help's epilog is made of it, and the docs'
table says the same codes with the same meanings (the help, the README and operations.md each had their own
wording, and the help's '4 unknown workflow id' left schedules out)."""

from __future__ import annotations

import re

from orchestra.cli.app import load_commands
from orchestra.cli.errors import EXIT_CODES
from orchestra.settings import PROJECT_ROOT


def test_the_docs_table_is_the_code_table() -> None:
    text = (PROJECT_ROOT / "docs" / "operations.md").read_text()
    rows = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", text, re.MULTILINE))
    assert {int(code): meaning for code, meaning in rows.items()} == EXIT_CODES


def test_the_help_says_every_code() -> None:
    epilog = load_commands().epilog or ""
    for code, meaning in EXIT_CODES.items():
        assert f"{code:>3}  {meaning}" in epilog
