"""A secret in a dump of numbers of any width, base and line length is masked (attack350, fix356's list: each was in
clear): 16-bit words in decimal or octal (``od -d``, ``od -o``, ``-td2``, ``-tu2``, ``-to2``, ``hexdump -d``,
``hexdump -o``), ``hexdump -x``'s wide gaps, 32- and 64-bit words (``od -td4``, ``-tu4``, ``-to4``, ``-tx4``, ``-i``,
``-l``), one byte a line or a few (``xxd -c 1``, ``od -w1``, ``hexdump -e '1/1 "%02x\\n"'``, ``xxd -c 2``/``3``,
``od -w2``), od with two types a row (``-tx1 -tc``, ``-tx1 -s``) and octal bytes with no offset. Every dump is made by
the real tool, the secret at every offset modulo 16, each line quoted each way."""

from __future__ import annotations

import re

import pytest

from tests.security.dumps_made import QUOTES, assert_left_as_it_is, assert_masked_at_every_offset

DUMPS = [
    ["od", "-d"],
    ["od", "-o"],
    ["od", "-td2"],
    ["od", "-tu2"],
    ["od", "-to2"],
    ["od", "-An", "-tu2"],
    ["hexdump", "-d"],
    ["hexdump", "-o"],
    ["hexdump", "-x"],
    ["od", "-td4"],
    ["od", "-tu4"],
    ["od", "-to4"],
    ["od", "-tx4"],
    ["od", "-An", "-td4"],
    ["od", "-i"],
    ["od", "-l"],
    ["od", "-to8"],
    ["od", "-tu8"],
    ["od", "-An", "-to8"],
    ["xxd", "-c", "1"],
    ["xxd", "-c", "2"],
    ["xxd", "-c", "3"],
    ["xxd", "-b", "-c", "1"],
    ["od", "-w1", "-An", "-tx1"],
    ["od", "-w1", "-tx1"],
    ["od", "-w2"],
    ["od", "-w2", "-An", "-tx1"],
    ["hexdump", "-e", '1/1 "%02x\\n"'],
    ["od", "-tx1", "-tc"],
    ["od", "-tx1", "-s"],
    ["od", "-An", "-b"],
]
_WORD = re.compile(r"-?[0-9A-Fa-f]+")
_WIDTHS = (1, 2, 4, 8)


def _as_bytes(word: str, base: int, width: int, order: str) -> bytes | None:
    try:
        value = int(word, base)
    except ValueError:
        return None
    if value < 0:
        value += 1 << (8 * width)
    if not 0 <= value < 1 << (8 * width):
        return None
    return value.to_bytes(width, order)  # type: ignore[arg-type]


def _readings(dump: str) -> list[bytes]:
    """The dump's words read every way a dump may mean them, joined across its lines (its first word left out too:
    an offset), and its lines' last words joined (one byte a line's text column)."""
    lines = [_WORD.findall(line.replace("*", " ")) for line in dump.splitlines()]
    texts = [line.split()[-1].encode() for line in dump.splitlines() if len(line.split()) >= 2]
    readings = [b"".join(texts), b"".join(re.sub(r"\s", "", line).encode() for line in dump.splitlines())]
    for skip in (0, 1, 2):
        for base in (2, 8, 10, 16):
            for width in _WIDTHS:
                for order in ("big", "little"):
                    parts = [_as_bytes(word, base, width, order) or b"\xff" for line in lines for word in line[skip:]]
                    readings.append(b"".join(parts))
    return readings


def shows(dump: str, secret: str) -> bool:
    """Whether the dump shows 4 bytes of ``secret`` in a row, its words read in any base, width and byte order."""
    data = secret.encode()
    windows = [data[at : at + 4] for at in range(len(data) - 3)]
    return any(window in reading for reading in _readings(dump) for window in windows)


@pytest.mark.parametrize("quote", QUOTES.values(), ids=QUOTES.keys())
@pytest.mark.parametrize("command", DUMPS, ids=" ".join)
def test_a_secret_in_words_of_any_width_is_masked_at_every_offset(command: list[str], quote: str) -> None:
    assert_masked_at_every_offset(command, quote, shows)


def test_a_dump_of_words_holding_no_secret_is_left_as_it_is() -> None:
    assert_left_as_it_is(DUMPS)
