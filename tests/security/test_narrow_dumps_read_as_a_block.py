"""Lines of one value each (``seq``'s, a CSV column's, a narrow dump's) are read a block at a time, not a line at a time
(each line's every reading tried cost about 50 µs: 3 s of CPU a megabyte of ordinary output), and a block masks every
secret the lines read one at a time mask (that reading, orchestra/hex_dumps.py's, is the oracle here)."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from orchestra import hex_dumps
from orchestra.secrets import Masker
from tests.security.dumps_made import LONG, QUOTES, dump, quoted
from tests.security.test_dumps_of_words_and_widths import shows

NARROW = [
    ["xxd", "-c", "1"],
    ["xxd", "-c", "2"],
    ["xxd", "-b", "-c", "1"],
    ["od", "-w1", "-tx1"],
    ["od", "-w2"],
    ["od", "-An", "-w1", "-tu1"],
    ["od", "-An", "-w2", "-tu1"],
    ["od", "-An", "-w2", "-tx1"],
    ["od", "-An", "-w8", "-td4"],
    ["hexdump", "-e", '1/1 "%02x\\n"'],
]


def _lines_parsed(monkeypatch: pytest.MonkeyPatch, text: str) -> int:
    """How many lines ``text``'s dump reading parsed one at a time."""
    parsed = hex_dumps._parsed
    calls: list[int] = []

    def counted(text: str, start: int, end: int) -> hex_dumps._Line | None:
        calls.append(start)
        return parsed(text, start, end)

    monkeypatch.setattr(hex_dumps, "_parsed", counted)
    hex_dumps.dump_spans(text, lambda _: [])
    return len(calls)


@pytest.mark.parametrize(
    "made",
    [
        lambda: "\n".join(map(str, range(1, 20_000))),
        lambda: "\n".join(f"> 00{n:05o} {n % 256:02x}" for n in range(20_000)),
        lambda: dump(["xxd", "-c", "1"], random.Random(1).randbytes(5_000)),
        lambda: quoted(dump(["xxd", "-c", "1"], random.Random(2).randbytes(5_000)), "2026-12-02T10:00:00Z stdout: "),
        lambda: "\n".join(f"{n} {7 * n}" for n in range(1, 20_000)),
    ],
    ids=["seq", "one number", "xxd -c 1", "behind a log prefix", "two numbers"],
)
def test_lines_of_one_value_are_read_a_block_at_a_time(
    monkeypatch: pytest.MonkeyPatch, made: Callable[[], str]
) -> None:
    text = made()
    assert _lines_parsed(monkeypatch, text) < 10, "a line at a time"


@pytest.mark.parametrize("quote", QUOTES.values(), ids=QUOTES.keys())
@pytest.mark.parametrize("command", NARROW, ids=" ".join)
def test_a_block_masks_what_its_lines_read_one_at_a_time_mask(
    monkeypatch: pytest.MonkeyPatch, command: list[str], quote: str
) -> None:
    rng = random.Random(" ".join(command) + quote)
    for _ in range(4):
        secret = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789!-_") for _ in range(rng.randint(8, 30)))
        before = rng.randbytes(rng.randint(0, 20))
        text = quoted(dump(command, before + secret.encode() + b"\nand more text\n"), quote)
        by_blocks = Masker([secret]).text(text)
        with monkeypatch.context() as lines_alone:
            lines_alone.setattr(hex_dumps, "_narrow_block", lambda _, start, __: (None, start, False))
            by_lines = Masker([secret]).text(text)
        if not shows(by_lines, secret):
            assert not shows(by_blocks, secret), (text, by_blocks)


def test_a_block_a_dump_goes_on_past_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A block followed by a line a dump reads: only its last lines are read again with it, a line at a time (the whole
    block was, from each of its lines in turn: quadratic)."""
    text = "\n".join(map(str, range(1, 20_000))) + "\n00000000: 6865 6c6c 6f0a  hello."
    assert _lines_parsed(monkeypatch, text) < 2 * hex_dumps.OVERLAP_LINES


@pytest.mark.parametrize("overlap", [hex_dumps.OVERLAP_LINES, 0], ids=["read again", "not read again"])
def test_a_secret_across_a_blocks_end_and_the_dump_going_on_is_masked(
    monkeypatch: pytest.MonkeyPatch, overlap: int
) -> None:
    """A quoted dump of a byte a line, then of eight (a secret across them): masked only as the block's last lines are
    read again with the lines after it."""
    monkeypatch.setattr(hex_dumps, "_overlap", lambda _: overlap)
    secret = LONG.encode()
    lines = [f"{byte:02x}" for byte in b"x" * 300 + secret[:10]]
    lines += [" ".join(f"{byte:02x}" for byte in secret[at : at + 8]) for at in range(10, len(secret), 8)]
    text = "".join(f"> {line}\n" for line in lines)
    shown = secret.hex() in "".join(Masker([LONG]).text(text).replace("> ", "").split())
    assert shown == (overlap == 0)
