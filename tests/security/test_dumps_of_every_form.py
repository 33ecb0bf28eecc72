"""A secret in a dump of any form is masked: quoted in a mail or a log (``> ``, ``| ``, ``# ``, a tab, a line's number
before each line), with an offset past 1 MiB (``xxd -o``), little-endian groups (``xxd -e``, ``od -x``, ``hexdump``),
plain hex (``xxd -p``), ``od``'s forms and ``hexdump -C``'s ``*`` lines (attack330: each was in clear); bytes as octal
(``od -b``), decimal (``od -td1``, ``-tu1``), named (``od -ta``) or bits (``xxd -b``), and od's fields with no offset
(``od -An``) (attack339). Every dump is
made by the real tool, the secret split across its lines at every offset modulo 16."""

from __future__ import annotations

import re

import pytest

from orchestra.hex_dumps import OD_NAMES
from orchestra.secrets import Masker
from tests.security.dumps_made import LONG, QUOTES, assert_left_as_it_is, assert_masked_at_every_offset
from tests.security.dumps_made import dump as _dump
from tests.security.dumps_made import quoted as _quoted

__all__ = ["LONG", "QUOTES"]  # the secret and the quotes other dump tests read theirs with
# A secret of a repeated 16 bytes: hexdump -C and od write its second and third lines as one '*'.
REPEATED = "Zq9!" * 12 + "-and-its-end"

DUMPS = [
    ["xxd"],
    ["xxd", "-g1"],
    ["xxd", "-o", "0x100000"],
    ["xxd", "-o", "0x123456789"],
    ["xxd", "-e"],
    ["xxd", "-g", "4", "-e"],
    ["xxd", "-g", "8", "-e"],
    ["xxd", "-p"],
    ["xxd", "-c", "8"],
    ["xxd", "-u", "-c", "12"],
    ["od", "-Ax", "-tx1z"],
    ["od", "-An", "-tx1"],
    ["od", "-tx1"],
    ["od", "-c"],
    ["od", "-x"],
    ["od", "-Ax", "-tx4"],
    ["hexdump", "-C"],
    ["hexdump"],
    ["hd"],
    # attack339: bytes as octal, decimal, names, 16-bit words, bits; od's fields with no offset.
    ["od", "-b"],
    ["od", "-to1"],
    ["od", "-An", "-to1"],
    ["od", "-td1"],
    ["od", "-An", "-td1"],
    ["od", "-tu1"],
    ["od", "-An", "-tu1"],
    ["od", "-ta"],
    ["od", "-An", "-ta"],
    ["od", "-tx2"],
    ["xxd", "-b"],
    ["xxd", "-b", "-c", "4"],
    ["od", "-An", "-c"],
]
_TOKEN = re.compile(r"[0-9A-Fa-f]+")


def _word_readings(line: str) -> list[str]:
    """A line's words read as od's and xxd -b's bytes a word: octal, decimal, bits, od -ta's names (a word not read so
    a character no secret holds)."""
    words = line.split()
    readings = [
        [int(w, 8) if re.fullmatch("[0-7]{3}", w) else None for w in words],
        [int(w) & 0xFF if re.fullmatch("-?[0-9]{1,3}", w) else None for w in words],
        [int(w, 2) if re.fullmatch("[01]{8}", w) else None for w in words],
        [OD_NAMES.get(w, ord(w) if len(w) == 1 else None) for w in words],
    ]
    return ["".join("\uffff" if byte is None else chr(byte) for byte in reading) for reading in readings]


def shows(dump: str, secret: str) -> bool:
    """Whether any line of ``dump`` shows 4 bytes of ``secret`` in a row: as hex pairs, in groups big- or
    little-endian, or as characters (an ASCII column, od -c's fields)."""
    data = secret.encode()
    windows = [data[at : at + 4] for at in range(len(data) - 3)]
    for line in dump.splitlines():
        tokens = _TOKEN.findall(line)
        big = "".join(tokens).lower()
        little = "".join("".join(reversed(re.findall("..", token))) for token in tokens if len(token) % 2 == 0)
        chars = "".join(line.split())
        words = _word_readings(line)
        for window in windows:
            if window.hex() in big or window.hex() in little.lower() or window.decode() in chars:
                return True
            if any(window.decode("latin-1") in reading for reading in words):
                return True
    return False


@pytest.mark.parametrize("quote", QUOTES.values(), ids=QUOTES.keys())
@pytest.mark.parametrize("command", DUMPS, ids=" ".join)
def test_a_secret_across_a_dumps_lines_is_masked_at_every_offset(command: list[str], quote: str) -> None:
    assert_masked_at_every_offset(command, quote, shows)


@pytest.mark.parametrize("quote", ["", "> "], ids=["bare", "quoted"])
@pytest.mark.parametrize("command", [["hexdump", "-C"], ["hd"], ["od", "-Ax", "-tx1z"], ["od", "-tx1"]], ids=" ".join)
def test_a_secret_across_a_repeat_line_is_masked(command: list[str], quote: str) -> None:
    """A '*' stands for the lines before it repeated, as many as the offsets around it say."""
    masker = Masker([REPEATED])
    for offset in (0, 5):
        dump = _quoted(_dump(command, b"-" * offset + REPEATED.encode() + b"\n"), quote)
        assert "*" in dump, dump
        masked = masker.text(dump)
        assert not shows(masked, REPEATED[-12:]), (offset, masked)


def test_a_dump_holding_no_secret_is_left_as_it_is() -> None:
    assert_left_as_it_is(DUMPS)


def test_a_numeric_dump_is_read_for_a_secret_of_4_bytes_or_more() -> None:
    """A line of numbers read as bytes spells a secret of 1 to 3 bytes by chance (a table's, od -td1's): only from 4
    bytes up is a dump of one read for it, as its other encodings are."""
    dump = _dump(["od", "-An", "-td1"], b"a pin here\n")
    assert Masker(["pin"]).text(dump) == dump
    masked = Masker(["here"]).text(dump)
    assert not shows(masked, "here") and shows(masked, "a pin"), masked
