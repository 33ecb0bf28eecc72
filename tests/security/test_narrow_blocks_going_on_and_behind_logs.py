"""attack401's findings against the block reader (orchestra/narrow_dumps.py): short blocks each followed by a dump's
line read again and again, a secret longer than a block's re-read last lines in clear across the block and the wider
dump going on past it, and ``xxd -c 3`` behind a short log prefix read by the block as another dump (a secret cut)."""

from __future__ import annotations

import pytest

from orchestra.secrets import Masker
from tests.security.dumps_made import LONG, dump
from tests.security.test_narrow_dumps_read_as_a_block import _lines_parsed

KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


@pytest.mark.parametrize("wide", ["ab cd ef", " 1 2 3", "00000000: 6865 6c6c  he"])
def test_short_blocks_each_followed_by_a_dump_line_are_read_once(monkeypatch: pytest.MonkeyPatch, wide: str) -> None:
    """Each block's going-on re-read 256 lines back from its end, past its start, into units already read: 50 times
    the CPU a line read once costs (160-290 s a megabyte)."""
    text = ("0\n1\n2\n3\n4\n" + wide + "\n") * 500
    assert _lines_parsed(monkeypatch, text) < 2 * text.count("\n"), "lines read again and again"


@pytest.mark.parametrize("narrow", [300, 600])
@pytest.mark.parametrize("quote", ["> ", "| ", "# "])
def test_a_secret_longer_than_the_lines_read_again_across_a_blocks_end_is_masked(quote: str, narrow: int) -> None:
    """A key's first ``narrow`` bytes a byte a line behind a quote, the rest 16 a line: only the block's last 256
    lines were read again with the wide lines, neither run held the key whole, and all of it was in clear."""
    secret = "".join(KEY_CHARS[(7 * n) % 64] for n in range(narrow + 100))
    data = secret.encode()
    lines = [f"{quote}{byte:02x}" for byte in b"xx" + data[:narrow]]
    lines += [quote + " ".join(f"{byte:02x}" for byte in data[at : at + 16]) for at in range(narrow, len(data), 16)]
    masked = Masker([secret]).text("\n".join(lines) + "\nend\n")
    pairs = "".join(word for line in masked.splitlines() for word in line.removeprefix(quote).split() if len(word) == 2)
    assert data[:40].hex() not in pairs and data[-40:].hex() not in pairs, masked[:400]


@pytest.mark.parametrize("prefix", ["INFO ", "ERROR ", "stdout: ", "[w-1] "])
def test_xxd_c3_behind_a_short_log_prefix_is_masked(prefix: str) -> None:
    """'INFO 00000006: 8663 6f  .co' read by the block behind the prefix 'INFO 00000006: ', '8663' as an offset: a
    text column of hex letters ('eba') was a number word of odd length, cutting the secret in both readings."""
    made = dump(["xxd", "-c", "3"], b"\x86" * 7 + LONG.encode() + b"\nmore\n")
    masked = Masker([LONG]).text("".join(prefix + line + "\n" for line in made.splitlines()))
    groups = "".join(
        line.removeprefix(prefix).split(": ", 1)[1].split("  ")[0].replace(" ", "") for line in masked.splitlines()
    )
    assert LONG.encode()[4:20].hex() not in groups, masked
