"""Dumps made by the real tools (xxd, od, hexdump) of a secret at every offset, each line quoted each way, and the
checks every dump test makes of them, each test with its own ``shows`` (how it reads a dump's words)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable

import pytest

from orchestra.secrets import Masker

LONG = "correcthorsebatterystaple42"
QUOTES = {"none": "", "mail": "> ", "bar": "| ", "comment": "# ", "tab": "\t", "numbered": "{n}: "}
Shows = Callable[[str, str], bool]


def dump(command: list[str], data: bytes) -> str:
    if shutil.which(command[0]) is None:
        pytest.skip(f"{command[0]} is not installed")
    return subprocess.run(command, input=data, capture_output=True, check=True).stdout.decode()


def quoted(text: str, quote: str) -> str:
    return "\n".join(quote.format(n=n) + line for n, line in enumerate(text.splitlines(), 12)) + "\n"


def assert_masked_at_every_offset(command: list[str], quote: str, shows: Shows) -> None:
    """The secret split across the dump's lines at every offset modulo 16 is masked, and what follows it kept."""
    masker = Masker([LONG])
    for offset in range(16):
        made = quoted(dump(command, b"x" * offset + f"{LONG}\nand more text\n".encode()), quote)
        assert shows(made, LONG), made
        masked = masker.text(made)
        assert not shows(masked, LONG), (offset, masked)
        assert shows(masked, "more text"), ("what holds no secret is kept", masked)


def assert_left_as_it_is(commands: list[list[str]]) -> None:
    """A dump holding no secret, quoted, is not changed."""
    for command in commands:
        made = quoted(dump(command, b"nothing secret here, only a long enough text\n" * 3), "> ")
        assert Masker([LONG]).text(made) == made
