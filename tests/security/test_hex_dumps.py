"""A secret in a hex dump (``xxd``'s, ``hexdump -C``'s) is masked in both columns: its hex pairs and its characters
were cut by the offsets, by the other column and by the lines (16 bytes a line), and a worker's secret setting or a
call's secret stood in clear in a tool's output that dumped a file. Dumps made by the real tools."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from orchestra import secrets
from orchestra.secret_settings import ENV_PREFIX
from orchestra.secrets import Masker

LONG = "correcthorsebatterystaple42"  # longer than a line: split across two, in both columns
SHORT = "pin7"

_DUMPS = [["xxd"], ["xxd", "-g1"], ["xxd", "-c", "8"], ["xxd", "-g", "4"], ["hexdump", "-C"]]


def _dump(command: list[str], data: bytes) -> str:
    if shutil.which(command[0]) is None:
        pytest.skip(f"{command[0]} is not installed")
    return subprocess.run(command, input=data, capture_output=True, check=True).stdout.decode()


def _hex_digits(dump: str) -> str:
    return "".join(char for char in dump if char in "0123456789abcdef")


def _shows(dump: str, secret: str) -> bool:
    """Whether ``dump`` shows any 4 bytes of ``secret`` in a row in either column (as the dump writes them)."""
    data = secret.encode()
    flat = "".join(line.split("  ", 1)[-1] for line in dump.splitlines())
    hexes = _hex_digits(dump)
    return any(data[at : at + 4].hex() in hexes for at in range(len(data) - 3)) or any(
        secret[at : at + 4] in flat for at in range(len(secret) - 3)
    )


@pytest.mark.parametrize("command", _DUMPS, ids=" ".join)
@pytest.mark.parametrize("before", ["token=", "a much longer prefix of text: ", ""])
def test_a_long_secret_in_a_dump_is_masked(command: list[str], before: str) -> None:
    dump = _dump(command, f"{before}{LONG}\nand more text after it\n".encode())
    assert _shows(dump, LONG)
    masked = Masker([LONG]).text(dump)
    assert not _shows(masked, LONG), masked
    assert "text" in masked or "more" in masked, "what holds no secret is left"


@pytest.mark.parametrize("command", _DUMPS, ids=" ".join)
def test_a_short_secret_in_a_dump_is_masked_where_it_is_a_word(command: list[str]) -> None:
    """Where it is a word of the dumped text ('pin7,'), not inside a longer one ('pin7x'), as in any text."""
    dump = _dump(command, f"the pin is {SHORT}, and {SHORT}x is not it\n".encode())
    masked = Masker([SHORT]).text(dump)
    assert b"s pin7, a".hex() not in _hex_digits(masked) and "pin7," not in masked.replace("\n", ""), masked
    assert "7x is" in masked, masked


@pytest.mark.parametrize("command", _DUMPS, ids=" ".join)
def test_a_wide_secret_in_a_dump_is_masked(command: list[str]) -> None:
    dump = _dump(command, f"key={LONG};".encode("utf-16-le"))
    masked = Masker([LONG]).text(dump)
    assert LONG.encode("utf-16-le")[8:16].hex() not in _hex_digits(masked), masked


def test_the_worker_secret_settings_in_a_dump_are_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}DUMPED", LONG)
    dump = _dump(["xxd"], f"config: {LONG}\n".encode())
    masked = secrets.settings_masker().value({"stdout": dump})["stdout"]
    assert not _shows(masked, LONG), masked


def test_a_dump_holding_no_secret_is_left_as_it_is() -> None:
    dump = _dump(["xxd"], b"nothing secret here, only a long enough line of text\n")
    assert Masker([LONG, SHORT]).text(dump) == dump


@pytest.mark.parametrize("indent", ["    ", "\t", "  "], ids=["four spaces", "a tab", "two spaces"])
def test_a_dump_indented_is_masked(indent: str) -> None:
    """A dump quoted in a log or a Markdown block, its lines indented: only lines beginning with the offset were read
    (attack330)."""
    dump = _dump(["xxd"], f"token={LONG}\nand more text after it\n".encode())
    indented = "\n".join(indent + line for line in dump.splitlines())
    masked = Masker([LONG]).text(indented)
    assert not _shows(masked, LONG), masked


def test_a_line_of_more_bytes_than_a_dump_writes_is_no_dump() -> None:
    """Its groups were given back one at a time and the line measured again each time: 30 KB took 1.9 s of CPU, a
    hostile output of 100 KB tens of seconds (bench/output_masking.py's "dump line"). Read as no dump, it is masked
    as any text is."""
    line = "00000000:" + f" {LONG.encode().hex()}" + " 00" * 300 + "  zz"
    assert LONG.encode().hex() not in Masker([LONG]).text(line)
