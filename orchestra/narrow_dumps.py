"""A block of narrow dump lines read at once: one value a line (``seq``'s, a CSV column's, a log of counters'), ``xxd -c 1``'s
byte and its character, ``od -w1``'s and ``od -w2``'s words, ``hexdump -e '1/1 "%02x\\n"'``'s, each behind a quote, a
line's number or a log's prefix.

Read a line at a time (orchestra/hex_dumps.py), such a line cost about 50 µs: every way a line may be a dump's tried,
then a column a reading; a megabyte of one number a line, ordinary output every tool call's masking reads, cost 3 s
of CPU. Here one regex pass reads the block's lines, each column is made from its values in one pass, and where a
value is in the text is worked out only for a column something was found in.
"""

from __future__ import annotations

import bisect
import itertools
import re
import sys
from array import array
from collections.abc import Sequence

import re2

from orchestra.literal_set import TEXTS_APART

# The most spaces od writes before a number, right-aligned in its type's width (-tu8's 20 digits and a space): a last
# line of a small word ('         10', -tu4's) was no narrow line after 8, and the block before it was read a line at a
# time, its words never joined.
INDENT = 24
# A quote's few characters and a line's number ('> ', '| ', '12: '), or a log's prefix: a time, a stream, a level, up to
# a level's name, or a colon or a bracket after a letter no hex number holds, then spaces ('2026-12-02T10:00:00Z stdout:
# ', '[worker-7] ', '2026-12-02 10:00:00 INFO '). A narrow dump behind one was never read. The shortest is taken (a
# level first: 'INFO 00000004: 6563  ec' read to its colon lost its offset).
_QUOTE = rf"[^0-9A-Za-z\r\n{TEXTS_APART}]{{0,8}}(?:[0-9]{{1,6}}:[ \t]+)?[ \t]{{0,{INDENT}}}"
_LOG = (
    rf"[^\r\n{TEXTS_APART}]{{0,40}}?"
    rf"(?:\b(?:INFO|DEBUG|WARN|WARNING|ERROR|TRACE|NOTICE)|[G-Zg-z][^\r\n{TEXTS_APART}]{{0,40}}?[:\]])[ \t]+"
)
# A line: a prefix, an offset or none, one value (a hex, decimal or octal number, or xxd -b's bits), a few characters of
# a text column or none; or a '*', the line before it repeated.
_LINE = (
    rf"(?:{_QUOTE}|{_LOG})"
    r"(?:(?:(?P<offset>[0-9A-Fa-f]{4,16}):?[ \t]+)?"
    r"(?P<value>-?[0-9A-Fa-f]{1,22})"
    r"(?:[ \t]+(?P<ascii>[!-~]{1,8}))?|(?P<star>\*))[ \t]*"
)
# The prefix as RE2 finds a candidate line (orchestra/hex_dumps.py): a log's of any length (a bounded one made its
# automaton's states many, the letter at each place counted), each read here within its bounds.
PREFIX_FOUND = rf"(?:{_QUOTE}|{_LOG})".replace(TEXTS_APART, "").replace("{0,40}?", "*").encode()
_END = rf"(?=\r\n|\r|\n|{TEXTS_APART}|\Z)"
_UNNAMED = re.sub(r"\?P<[a-z]+>", "?:", _LINE)
_BLOCK = re.compile(rf"(?:{_UNNAMED}{_END}(?:\r\n|\r|\n))*{_UNNAMED}{_END}")
_LINES = re.compile(rf"(?<![^\r\n{TEXTS_APART}]){_LINE}{_END}")
# The same read by RE2 in an ASCII text (a few milliseconds a megabyte, where ``re`` took 0.15 s): each line and its
# break, the last's too; and a block of values alone (seq's), whose lines are its values.
_RE2 = re2.Options()
_RE2.encoding = re2.Options.Encoding.LATIN1
_RE2.longest_match = True
_RE2.never_capture = True
_ASCII_LINE = _UNNAMED.replace(TEXTS_APART, "")
_ASCII_BLOCK = re2.compile(rf"(?:{_ASCII_LINE}(?:\r\n|\r|\n))*{_ASCII_LINE}(?:\r|\n|$)".encode(), _RE2)
_VALUES_BLOCK = re2.compile(rb"(?:-?[0-9A-Fa-f]{1,22}(?:\r\n|\r|\n))*-?[0-9A-Fa-f]{1,22}(?:\r|\n|$)", _RE2)
_HEX_LETTER = re.compile("[A-Fa-f]")
_DECIMAL = re.compile(r"-?[0-9]{1,20}")
_OCTAL = re.compile("[0-7]{1,22}")
_BITS = re.compile("[01]{8}")
_NUMBER = re.compile("-?[0-9A-Fa-f]{1,22}")  # a text column that may be a number
# The most bytes a '*' line stands for, read as the line before it repeated: the offsets say how many, but a hostile
# pair of offsets could say billions.
MAX_REPEATED_BYTES = 64
# The fewest lines read as a block (orchestra/hex_dumps.py finds as many in a row): od -An -tu4 -w4's three lines of a
# 9 to 12 byte secret, -tu8's two of up to 16 bytes, were read a line at a time, each word alone.
MIN_LINES = 2
WORD_BYTES = (1, 2, 4, 8)  # the widths a dump writes a number of
_APART = TEXTS_APART  # a line not read in a column: no secret's form runs across it
_ARRAYS = {array(code).itemsize: code for code in "BHILQ"}  # a word of each width, as the machine writes it

# How a column's characters are placed in a line: a byte a hex pair of its value, in order or from its end; its value
# whole for each (a number, bits); a character each of its text column.
_PAIRS, _PAIRS_BACK, _WHOLE, _CHARS = range(4)


class Block:
    """The narrow lines from ``start`` to ``end`` read one way: their words (values, and numbers where a line has more),
    each word's line and group (None: a word a line, each its line's value), and the text column (if any line has one,
    a word each)."""

    def __init__(
        self,
        text: str,
        start: int,
        end: int,
        values: list[str],
        asciis: Sequence[str],
        words: list[tuple[int, str]] | None = None,
    ) -> None:
        self.text, self.start, self.end, self.values, self.asciis, self.words = text, start, end, values, asciis, words
        self._places: list[tuple[tuple[int, int], tuple[int, int]]] | None = None

    def places(self) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """Each word's start and end and its line's text column's, found again only for a block something was found in."""
        if self._places is None:
            found = list(_LINES.finditer(self.text, self.start, self.end))
            if self.words is None:
                self._places = [(line.span("value"), line.span("ascii")) for line in found]
            else:
                self._places = [(found[line].span(group), found[line].span("ascii")) for line, group in self.words]
        return self._places


class BlockColumn:
    """One way a block's lines read, joined (a line not read so is ``_APART``), and where each line's part is: each
    ``width`` characters a line, or as long as its part."""

    def __init__(self, block: Block, shown: str, placing: int, width: int = 0, parts: list[str] | None = None) -> None:
        self.block, self.shown, self.placing, self.width, self.parts = block, shown, placing, width, parts
        self.length = len(shown)
        self._firsts: list[int] | None = None

    @classmethod
    def of_parts(cls, block: Block, parts: list[str], placing: int) -> BlockColumn:
        return cls(block, "".join(parts), placing, parts=parts)

    def _first(self, line: int) -> int:
        if self.parts is None:
            return line * self.width
        if self._firsts is None:
            self._firsts = list(itertools.accumulate(map(len, self.parts), initial=0))
        return self._firsts[line]

    def _line_of(self, at: int) -> int:
        if self.parts is None:
            return at // self.width
        self._first(0)
        assert self._firsts is not None
        return bisect.bisect_right(self._firsts, at) - 1

    def spans(self, text: str, first: int, last: int) -> list[tuple[int, int]]:
        """The characters showing characters ``first`` to ``last`` of the column: a span a line."""
        places, spans = self.block.places(), []
        for line in range(self._line_of(first), self._line_of(last - 1) + 1):
            begin = max(first, self._first(line)) - self._first(line)
            end = min(last, self._first(line + 1)) - self._first(line)
            if begin < end and self.shown[self._first(line)] != _APART:
                value, ascii = places[line]
                # A '*' shows its lines' bytes all at once.
                spans.append(value if text[value[0]] == "*" else _placed(self.placing, value, ascii, begin, end))
        return spans


def _placed(placing: int, value: tuple[int, int], ascii: tuple[int, int], begin: int, end: int) -> tuple[int, int]:
    if placing == _CHARS:
        return ascii[0] + begin, ascii[0] + end
    if placing == _PAIRS:
        return value[0] + 2 * begin, value[0] + 2 * end
    if placing == _PAIRS_BACK:
        return value[1] - 2 * end, value[1] - 2 * begin
    return value


def block_at(text: str, start: int, data: bytes | None = None) -> list[Block] | None:
    """The narrow lines from ``start`` on, each way they read (with a first word that may be an offset as a number too,
    and without it), if there are enough of them: else None, and the lines are read one at a time
    (orchestra/hex_dumps.py) as before. ``data``: the text's bytes, if it is ASCII."""
    end, values_only = _block_end(text, start, data)
    if end is None:
        return None
    if values_only:
        values = text[start:end].splitlines()
        return [Block(text, start, end, values, ())] if len(values) >= MIN_LINES else None
    lines = _LINES.findall(text, start, end)
    if len(lines) < MIN_LINES:
        return None
    # A first word that may be a number too (od -An -w8 -td4's two words, a table's) is read as one, and as an offset.
    led = any(offset and (not offset.startswith("0") or len(offset) > 8) for offset, *_ in lines)
    return [_read(text, start, end, lines, lead) for lead in ((False, True) if led else (False,))]


def _read(text: str, start: int, end: int, lines: list[tuple[str, str, str, str]], lead: bool) -> Block:
    """The block's words: each line's value, its first word too (``lead``), and its text column if that is digits its
    value does not show (od -An -w2 -tu1's second number, a table's); each '*' standing for the line before it repeated
    as many times as the offsets around it say (once if they do not; never past MAX_REPEATED_BYTES)."""
    step, base = _step(lines) if any(star for *_, star in lines) else (0, 16)
    values: list[str] = []
    asciis: list[str] = []
    words: list[tuple[int, str]] = []
    for index, (offset, value, ascii, star) in enumerate(lines):
        if star:
            if index == 0 or lines[index - 1][3]:
                continue
            before, after = lines[index - 1][0], lines[index + 1][0] if index + 1 < len(lines) else ""
            times = 1
            if step and before and after and _is_number(before, base) and _is_number(after, base):
                times = max(min((int(after, base) - int(before, base)) // step - 1, MAX_REPEATED_BYTES), 1)
            count = (
                len(values) - 1 - next((at for at in range(len(words) - 1, -1, -1) if words[at][0] != index - 1), -1)
            )
            values += values[-count:] * times
            asciis += asciis[-count:] * times
            words += [(index, "star")] * (count * times)
            continue
        number = _is_word(value, ascii)
        for word, group in ((offset, "offset"), (value, "value"), (ascii, "ascii")):
            if (group == "offset" and not (lead and offset)) or (group == "ascii" and not number):
                continue
            values.append(word)
            asciis.append("" if number or group != "value" else ascii)
            words.append((index, group))
    return Block(text, start, end, values, asciis if any(asciis) else (), words)


def _step(lines: list[tuple[str, str, str, str]]) -> tuple[int, int]:
    """How far apart the block's offsets are, a line to the next, and their base (16: xxd's, hexdump's; 8: od's); 0 if
    they are not evenly apart in either."""
    for base in (8, 16):
        steps = {
            int(other[0], base) - int(one[0], base)
            for one, other in itertools.pairwise(lines)
            if one[0] and other[0] and _is_number(one[0], base) and _is_number(other[0], base)
        }
        if len(steps) == 1 and (step := steps.pop()) > 0:
            return step, base
    return 0, 16


def _is_number(word: str, base: int) -> bool:
    return base == 16 or _OCTAL.fullmatch(word) is not None


def words_read(text: str, start: int) -> tuple[str, list[tuple[int, int]]] | None:
    """How a block reads the line from ``start``: its offset ("" if none) and where each word it reads is (its offset,
    its value or '*', a text column that is a number); None if it reads no line there."""
    found = _LINES.match(text, start)
    if found is None:
        return None
    groups = ["offset", "value", "star"]
    if _is_word(found.group("value") or "", found.group("ascii") or ""):
        groups.append("ascii")
    return found.group("offset") or "", [found.span(group) for group in groups if found.group(group) is not None]


def _is_word(value: str, ascii: str) -> bool:
    """Whether a line's text column is a number of its own (od -An -w2 -tu1's or -tx1's second): a number its value's
    bytes (hex or xxd -b's bits) do not show."""
    return bool(ascii) and _NUMBER.fullmatch(ascii) is not None and not _shows(value, ascii)


def _block_end(text: str, start: int, data: bytes | None) -> tuple[int | None, bool]:
    """Where the block of narrow lines from ``start`` ends (None: no line), and whether its lines are values alone."""
    if data is None:
        found = _BLOCK.match(text, start)
        return (found.end() if found else None), False
    block = _ASCII_BLOCK.match(data, start)
    if block is None:
        return None, False
    end = block.end() - (block.end() > start and data[block.end() - 1 : block.end()] in (b"\r", b"\n"))
    end -= data[end - 1 : end + 1] == b"\r\n"
    values = _VALUES_BLOCK.match(data, start)
    return end, values is not None and values.end() == block.end()


def _shows(value: str, ascii: str) -> bool:
    if _BITS.fullmatch(value) and ascii == chr(int(value, 2)):
        return True
    if len(value) % 2 or value.startswith("-"):
        return False
    data = bytes.fromhex(value)
    return ascii.encode() in (data, data[::-1])


def block_columns(block: Block) -> list[BlockColumn]:
    """Every way the block's values read, each a column: hex bytes (and from each value's end, a value of 2 to 8
    bytes: xxd -c 2's, od -w4 -tx4's), xxd -b's bits, decimal and octal numbers as bytes and as words of the width the
    widest needs (signed or not) in either byte order, and the text column."""
    values = block.values
    lengths = set(map(len, values))
    columns: list[BlockColumn] = []
    hexed = [
        _APART if len(value) % 2 or value[0] == "-" else bytes.fromhex(value).decode("latin-1") for value in values
    ]
    columns.append(BlockColumn.of_parts(block, hexed, _PAIRS))
    if any(4 <= length <= 16 for length in lengths):
        columns.append(BlockColumn.of_parts(block, [part[::-1] for part in hexed], _PAIRS_BACK))
    if 8 in lengths:
        bits = "".join([chr(int(value, 2)) if _BITS.fullmatch(value) else _APART for value in values])
        columns.append(BlockColumn(block, bits, _WHOLE, 1))
    decimal: list[int | None]
    if _HEX_LETTER.search("".join(values)) is None:
        decimal = list(map(int, values))
    else:
        decimal = [int(value) if _DECIMAL.fullmatch(value) else None for value in values]
    octal = [int(value, 8) if _OCTAL.fullmatch(value) else None for value in values]
    for numbers in (decimal, octal):
        columns += [BlockColumn(block, shown, _WHOLE, width) for shown, width in _as_words(numbers)]
    if block.asciis:
        columns.append(BlockColumn.of_parts(block, list(block.asciis), _CHARS))
    return columns


def _as_words(numbers: list[int | None]) -> list[tuple[str, int]]:
    """``numbers`` as bytes and as words of the width the widest needs, in each byte order, each with its width (a
    number a width does not hold, or none, is ``_APART`` as wide)."""
    given = [number for number in numbers if number is not None]
    if not given:
        return []
    least, most = min(given), max(given)
    widest = next((size for size in WORD_BYTES if least >= -(1 << 8 * size - 1) and most < 1 << 8 * size), 0)
    columns = [("".join([_APART if n is None or not -128 <= n < 256 else chr(n & 0xFF) for n in numbers]), 1)]
    if widest > 1:
        columns += [(_words(numbers, widest, order), widest) for order in ("little", "big")]
    return columns


def _words(numbers: list[int | None], width: int, order: str) -> str:
    mask = (1 << 8 * width) - 1
    if None not in numbers and width in _ARRAYS:  # each number held (the widest's width): made at once
        words = array(_ARRAYS[width], [number & mask for number in numbers])  # type: ignore[operator]
        if order != sys.byteorder:
            words.byteswap()
        return words.tobytes().decode("latin-1")
    return "".join(
        [
            _APART * width if n is None else (n & mask).to_bytes(width, order).decode("latin-1")  # type: ignore[arg-type]
            for n in numbers
        ]
    )
