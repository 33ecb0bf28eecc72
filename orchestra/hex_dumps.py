"""Where a text holds a dump of bytes (``xxd``'s in any of its forms, ``hexdump``'s, ``hd``'s, ``od``'s): its byte
column read as the bytes it shows and its ASCII column as the text it shows, each joined across the dump's lines,
what a finder finds in them mapped back to the characters that show it.

A secret in a dump was in clear: its hex pairs and its characters are cut by the offsets, by the other column, and
by the lines, and no form of it is a run of the text. A dump is read as its class, not as one tool's: each line a
prefix of its own (a quote's ``> ``, ``| ``, ``# ``, an indent, a line's number ``12: ``), an offset or none (any
width, hex or octal, a colon after it or not), groups of hex pairs (1 to 8 bytes a group, written big-endian or
little-endian, or one run: ``xxd -p``), ``xxd -b``'s bytes of bits, ``od -c``'s fields of 4 characters, or od's words
a byte (``-b``'s octal, ``-td1``'s and ``-tu1``'s decimal, ``-ta``'s names), then an ASCII column or none (after
spaces, between bars, between ``>`` and ``<``); a ``*`` line stands for lines repeated. Only the tools' own forms
read, a secret quoted with ``> `` before each line, or dumped with an offset past 1 MiB, was in clear.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

import re2

from orchestra.literal_set import TEXTS_APART
from orchestra.narrow_dumps import (
    MAX_REPEATED_BYTES,
    MIN_LINES,
    PREFIX_FOUND,
    WORD_BYTES,
    Block,
    BlockColumn,
    block_at,
    block_columns,
    words_read,
)
from orchestra.secret_prefilter import Encoded

Finder = Callable[[str], Iterable[tuple[int, int]]]

MAX_LINE_BYTES = 256  # xxd -c's most; hexdump -C writes 16
# A dump line's most characters: xxd -c 256 -g 1's, and a prefix. A longer line is no dump's, and never read: each
# line is read at a bounded cost, so a text is read in a time linear in its size (a line of 10^4 hex pairs, its
# groups given back one at a time, was quadratic: 30 KB took 1.9 s).
MAX_LINE_CHARS = 1200
MAX_PREFIX = 40  # a prefix's most characters: '> > > ', '  12: ', a log's '2026-12-02 09:00:00 INFO '
_BODY_TRIES = 3  # where a line's dump may begin, tried in turn (a prefix of hex words: '12 ', 'be ')
# A block's last lines read again with the dump going on past it, at least: a secret's form across them is found whole
# (each line shows a byte or a character of it, or more), so as many lines as the longest form's characters are.
OVERLAP_LINES = 256
# The fewest bytes of a match in a dump masked: a line of numbers (od -td1's, a table's) read as bytes spells a
# secret of 1 to 3 bytes by chance; such a secret's encodings are never looked for (secrets.MIN_ENCODED_LENGTH).
MIN_DUMPED_BYTES = 4

# Where a line of a dump may be, found by RE2 (a few milliseconds a megabyte, where ``re`` tried at every hex letter
# of a text of words): three hex words in a row (an offset, groups of pairs), a long run of hex (``xxd -p``), four
# of ``od -c``'s or ``od -ta``'s fields, or four numbers (``od -td1``'s). Every line a dump writes but its last holds one; a run's last line is read after the one
# before it.
_BYTES = re2.Options()
_BYTES.encoding = re2.Options.Encoding.LATIN1  # a byte a character: a text's UTF-8 read byte by byte
_BYTES.never_capture = True
# A short line of a narrow dump (``xxd -c 1``'s, ``od -w2``'s, one number a line): a prefix (a quote's, a line's
# number), an offset or none, one number, a few characters of a text column or none.
_NARROW = (
    PREFIX_FOUND
    + rb"(?:[0-9A-Fa-f]{4,16}:?[ \t]+)?-?[0-9A-Fa-f]{1,22}"
    + rb"(?:[ \t]+[!-~]{1,8})?[ \t]*"
    + rb"|"
    + PREFIX_FOUND
    + rb"\*[ \t]*"  # a '*': the line before it repeated
)
_CANDIDATE = re2.compile(
    rb"(?:^|[^0-9A-Za-z])[0-9A-Fa-f]{2,16}:?[ \t]{1,4}[0-9A-Fa-f]{2,22}[ \t]{1,4}[0-9A-Fa-f]{2,22}(?:[ \t\r\n]|$)"
    rb"|[0-9A-Fa-f]{32}"
    rb"|(?:   [!-~]|  \\[0abfnrtv]| [0-7]{3}|  (?:sp|nl|ht|cr|ff|vt|bs)| (?:nul|del|esc)){4}"
    rb"|(?:[ \t]+-?[0-9]{1,20}){3}(?:[ \t\r\n]|$)"
    rb"|(?:[ \t]+-?[0-9]{11,22}){2}(?:[ \t\r\n]|$)"  # od -An -to8's two words a line
    rb"|(?:^|[\r\n]|" + TEXTS_APART.encode("utf-8", "surrogatepass") + rb")(?:" + _NARROW + rb")"
    rb"(?:(?:\r\n|\r|\n)(?:" + _NARROW + rb")){%d}(?:[\r\n]|$)" % (MIN_LINES - 1),
    _BYTES,
)
_BREAKS = "\n\r" + TEXTS_APART
_BYTE_BREAKS = [stop.encode("utf-8", "surrogatepass") for stop in _BREAKS]
_BREAK = re.compile(f"[{_BREAKS}]")
_BYTE_BREAK = re.compile(b"|".join(map(re.escape, _BYTE_BREAKS)))
_LINE_BYTES = 4 * MAX_LINE_CHARS  # a line's most characters, each of UTF-8's most bytes
_BODY_START = re.compile(r"(?:^|(?<=[^0-9A-Za-z]))[0-9A-Fa-f]")
_OFFSET = re.compile(r"([0-9A-Fa-f]{4,16})(:?)(?=[ \t]|$)")
# Spaces before a group: xxd -e writes a last line's missing groups as spaces.
_BITS = re.compile("[01]{8}")
_GROUP_RUN = re.compile(r"(?:[ \t]*(?:[0-9A-Fa-f]{2}){1,256}(?![^ \t]))*")
_HEX_WORD = re.compile("[0-9A-Fa-f]+")
_OD_FIELD = re.compile(r"   [ -~]|  \\[0abfnrtv\\]| ([0-7]{3})")
# od's words apart, a byte each: -td1's and -tu1's decimal, -b's octal, -ta's names and characters.
_OD_WORD = re.compile(r"[ \t]+(-?[0-9]{1,22}|[a-z]{2,3}|[!-~])(?=[ \t]|$)")
_DIGITS = re.compile("[0-9]+")
_DECIMAL = re.compile(r"-?[0-9]{1,20}")  # a word of 8 bytes' most digits: od -tu8's 20
_OCTAL = re.compile(r"[0-7]{1,22}")  # od -to8's 22
_CONTROLS = (
    "nul soh stx etx eot enq ack bel bs ht nl vt ff cr so si dle dc1 dc2 dc3 dc4 nak syn etb can em sub esc fs gs rs us"
)
OD_NAMES = {name: byte for byte, name in enumerate([*_CONTROLS.split(" "), "sp"])} | {"del": 127}  # od -ta's
_OD_ESCAPES = {"0": 0, "a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92}
_SPACES_START = re.compile(r"(?:^|(?<=[^ \t]))[ \t]")
_ASCII_BETWEEN = (("|", "|"), (">", "<"))


class _Piece(NamedTuple):
    """Where the characters of a part of a column are in the text, worked out only for those found (each byte's place
    made for every byte of a megabyte's dump was seconds): a ``_HEX`` or ``_LITTLE`` line's bytes are its groups' pairs
    (in reverse order in each group, little-endian), an ``_EACH``'s each of ``spans`` (od -c's fields), a ``_CHARS``'s
    the characters of its one span (an ASCII column), a ``_SAME``'s all at its one span (a '*')."""

    kind: int
    spans: tuple[tuple[int, int], ...]


_HEX, _LITTLE, _EACH, _CHARS, _SAME = range(5)


class _Column:
    """What a column of a run of dump lines shows, and the pieces showing it (each from ``firsts``' character on)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.firsts: list[int] = []
        self.pieces: list[_Piece] = []
        self.length = 0

    def add(self, shown: str, piece: _Piece) -> None:
        if shown:
            self.parts.append(shown)
            self.firsts.append(self.length)
            self.pieces.append(piece)
            self.length += len(shown)

    @property
    def shown(self) -> str:
        return "".join(self.parts)

    def spans(self, text: str, first: int, last: int) -> list[tuple[int, int]]:
        return _line_spans(text, self, first, last)

    def place(self, index: int, at: int) -> tuple[int, int]:
        """Where the ``at``-th character of piece ``index`` is."""
        piece, at = self.pieces[index], at - self.firsts[index]
        if piece.kind == _SAME:
            return piece.spans[0]
        if piece.kind == _CHARS:
            return piece.spans[0][0] + at, piece.spans[0][0] + at + 1
        if piece.kind == _EACH:
            return piece.spans[at]
        for start, end in piece.spans:
            if at < (end - start) // 2:
                return (
                    (end - 2 - 2 * at, end - 2 * at) if piece.kind == _LITTLE else (start + 2 * at, start + 2 * at + 2)
                )
            at -= (end - start) // 2
        raise IndexError(at)


class _Line(NamedTuple):
    offset: str  # the offset's digits, "" if none
    groups: list[tuple[int, int]]  # each hex group's (or od -c field's, or number's) start and end
    ascii: tuple[int, int]  # the ASCII column's start and end (empty if none)
    # What its groups are: "hex", groups of hex pairs; "chars" (od -c's fields, od -ta's names and characters: a run
    # may hold lines of both), "bits" (xxd -b's): a byte each, ``data``; "numbers": numbers only.
    kind: str = "hex"
    data: bytes = b""
    # Its groups read as numbers in decimal and in octal (either empty if they are not all of its digits): each a
    # word of 1, 2, 4 or 8 bytes, signed or not (od -d, -o, -td4, -l; hexdump -d), as wide as the run's biggest says.
    numbers: tuple[tuple[int, ...], tuple[int, ...]] = ((), ())
    # Where its offset is, if it may be a number too (od -An -td4's line's first word reads as an offset): its numbers
    # are read with it too, in columns of their own.
    lead: tuple[int, int] | None = None

    @property
    def size(self) -> int:
        if self.kind == "hex":
            return sum(end - start for start, end in self.groups) // 2
        if self.data:
            return len(self.groups)
        return len(self.groups) * max(_word_bytes(self.numbers[0]), _word_bytes(self.numbers[1]), 1)


def dump_spans(text: str, find: Finder, reach: int = 0) -> list[tuple[int, int]]:
    """The characters of ``text`` showing, in a dump, what ``find`` finds in the dump's bytes (big-endian and, where
    its groups are of more than a byte, little-endian) or its ASCII column, each column of each run of dump lines
    read as one text (a secret across lines found whole). ``reach``: the most characters what ``find`` finds takes."""
    columns = [column for run in _runs(text, _overlap(reach)) for column in run if column.length]
    if not columns:
        return []
    joined = TEXTS_APART.join(column.shown for column in columns)
    starts = list(itertools.accumulate((column.length + 1 for column in columns[:-1]), initial=0))
    spans: list[tuple[int, int]] = []
    for begin, end in find(joined):
        if end - begin < MIN_DUMPED_BYTES:
            continue
        for index in range(max(bisect.bisect_right(starts, begin) - 1, 0), len(columns)):
            column = columns[index]
            first, last = max(begin - starts[index], 0), min(end - starts[index], column.length)
            if last <= 0:
                break
            spans += column.spans(text, first, last)
    return spans


def _line_spans(text: str, column: _Column, first: int, last: int) -> list[tuple[int, int]]:
    """The characters showing characters ``first`` to ``last`` of ``column``: one span a line (the spaces between its
    bytes too). A piece is one line's: its part of the match is one span, from its first place to its last (each
    byte's place made, sorted and merged, a dump full of secrets cost seconds a megabyte)."""
    index = bisect.bisect_right(column.firsts, first) - 1
    spans: list[tuple[int, int]] = []
    at = first
    while at < last:
        while index + 1 < len(column.firsts) and column.firsts[index + 1] <= at:
            index += 1
        stop = min(last, column.firsts[index + 1] if index + 1 < len(column.firsts) else last)
        if column.pieces[index].kind == _LITTLE:  # its bytes' places out of order within each group
            places = [column.place(index, one) for one in range(at, stop)]
            spans.append((min(place[0] for place in places), max(place[1] for place in places)))
        else:
            spans.append((column.place(index, at)[0], column.place(index, stop - 1)[1]))
        at = stop
    merged: list[tuple[int, int]] = []
    for begin, end in sorted(spans):
        if merged and _BREAK.search(text, merged[-1][1], max(begin, merged[-1][1])) is None:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((begin, end))
    return merged


class _Candidates:
    """Where lines RE2 finds a dump may be in begin (a character's offset), each looked for from where the last run
    of dump lines read ended (an ASCII text; in another, all at once: its byte offsets as characters'). A line's ends
    are looked for no farther than a dump line's length back, and forward only to the first: each looked for to the
    text's start (or end, a break it has none of), a text of many lines took a time quadratic in its size."""

    def __init__(self, text: str) -> None:
        encoded = Encoded(text)
        self._data = encoded.data
        self.ascii_data = self._data if encoded.ascii else None  # a text whose bytes are its characters
        self._all = None if len(self._data) == len(text) else encoded.chars(self._starts(0, len(self._data)))

    def next(self, at: int) -> int | None:
        """The first candidate line's start from ``at`` on."""
        if self._all is None:
            # From the break before ``at``: RE2 sees no line's start at the place a search begins.
            return next((max(start, at) for start in self._starts(max(at - 1, 0), 1)), None)
        index = bisect.bisect_left(self._all, at)
        return self._all[index] if index < len(self._all) else None

    def _starts(self, at: int, most: int) -> list[int]:
        data, starts = self._data, list[int]()
        while len(starts) < most and (found := _CANDIDATE.search(data, at)) is not None:
            back = max(found.start() - _LINE_BYTES, 0)
            begins = [
                begin + len(stop)
                for stop in _BYTE_BREAKS
                if (begin := data.rfind(stop, back, found.start() + len(stop))) >= 0
            ]
            if begins or back == 0:
                starts.append(max(max(begins, default=0), at))
            stop_at = _BYTE_BREAK.search(data, found.end() - 1)
            at = max(stop_at.start() if stop_at else len(data), found.end())
        return starts


def _line_end(text: str, at: int) -> int:
    found = _BREAK.search(text, at)
    return found.start() if found else len(text)


def _next_start(text: str, end: int) -> int:
    return end + 2 if text.startswith("\r\n", end) else end + 1


def _overlap(reach: int) -> int:
    """How many of a block's last lines are read again with a dump going on past it."""
    return max(reach, OVERLAP_LINES)


def _runs(text: str, overlap: int) -> list[Sequence[_Column | BlockColumn]]:
    """Each run of dump lines one after the other: its bytes (read as Latin-1; little-endian too where its groups
    hold more than a byte) and its ASCII column."""
    runs: list[Sequence[_Column | BlockColumn]] = []
    candidates = _Candidates(text) if len(text) >= 8 else None
    at = blocks_tried_to = 0  # a block's lines tried once: tried from each line of it, a text took quadratic time
    while candidates is not None and (start := candidates.next(at)) is not None:
        if start >= blocks_tried_to:
            blocks, blocks_tried_to, goes_on = _narrow_block(text, start, candidates.ascii_data)
            # A dump going on past the block: its last ``overlap`` lines read again with what follows, a line at a
            # time; a block of no more lines is read so whole (read as a block too, and from ``overlap`` lines back
            # of its end, each of many short blocks cost its lines and units before it read again: 50 times a line's).
            if blocks is not None and not (goes_on and text.count("\n", start, blocks[0].end) < overlap):
                runs.append([column for block in blocks for column in block_columns(block)])
                at = _lines_back(text, blocks[0].end, overlap) if goes_on else blocks[0].end
                continue
        end = _line_end(text, start)
        lines: list[tuple[int, _Line | None]] = []  # each line's start, or where its '*' is; None: a '*'
        while start <= len(text):
            if _repeat_line(text[start:end]) and lines and lines[-1][1] is not None:
                lines.append((start + len(text[start:end].rstrip()) - 1, None))
            elif (line := _parsed(text, start, end)) is not None:
                before = (
                    lines[-1][1] if lines and lines[-1][1] is not None else lines[-2][1] if len(lines) > 1 else None
                )
                lines.append(
                    (start, _offset_alone(text, _in_step(text, line, before), before))
                )  # a '*' comes after a line, never another
            else:
                break
            at = end
            if end >= len(text) or text[end] == TEXTS_APART:
                break
            start = _next_start(text, end)
            end = _line_end(text, start)
        if any(line is not None and line.size for _, line in lines):
            runs.append(_columns(text, lines))
        at = max(at, _line_end(text, start) + 1)
    return runs


def _narrow_block(text: str, start: int, data: bytes | None) -> tuple[list[Block] | None, int, bool]:
    """The block of narrow lines from ``start`` (orchestra/narrow_dumps.py), if it is one and its lines are read as a
    dump's would be: not if a line a dump reads as more words than the block does begins or ends it (a quoted od -c
    line ending in a hex letter is a narrow line too); where its lines end (``start``: none); and whether the line after
    it goes on with it (a '*', another dump's line: read apart, a secret across them was in clear). A first or last line
    is read as a dump's would be if the line reader reads its offset and words where the block does: 'INFO 00000006:
    8663 6f  .co' (xxd -c 3's) read by the block behind the prefix 'INFO 00000006: ' cut a secret's bytes. Nor does an
    edge line read otherwise whose neighbour in the block is read alike: a dump's type is the same to its end, and od
    -An -tu4's last word ('        100') reads as od -c's fields too, which left the whole block to the line reader."""
    blocks = block_at(text, start, data)
    if blocks is None:
        return None, start, False
    end = blocks[0].end
    last = max(text.rfind("\n", start, end - 1), text.rfind("\r", start, end - 1)) + 1 or start
    for begin, neighbour in (
        (start, _next_start(text, _line_end(text, start))),
        (last, _line_before(text, last, start)),
    ):
        if not _read_as_by_lines(text, begin, empty=True) and not (
            neighbour != begin and start <= neighbour < end and _read_as_by_lines(text, neighbour, empty=False)
        ):
            return None, end, False
    if end < len(text) and text[end] != TEXTS_APART:
        after = _next_start(text, end)
        after_end = _line_end(text, after)
        return blocks, end, _repeat_line(text[after:after_end]) or _parsed(text, after, after_end) is not None
    return blocks, end, False


def _read_as_by_lines(text: str, begin: int, *, empty: bool) -> bool:
    """Whether the block reads the line from ``begin`` as the line reader does; ``empty``: what a line reader reads
    nothing of is."""
    line = _parsed(text, begin, _line_end(text, begin))
    return empty if line is None else _read_alike(line, words_read(text, begin))


def _line_before(text: str, begin: int, start: int) -> int:
    """Where the line before the one at ``begin`` begins, no earlier than ``start`` (``begin`` itself if it is first)."""
    if begin <= start:
        return begin
    end = begin - 2 if text.startswith("\r\n", begin - 2) else begin - 1
    return max(text.rfind("\n", start, end), text.rfind("\r", start, end)) + 1 or start


def _read_alike(line: _Line, block: tuple[str, list[tuple[int, int]]] | None) -> bool:
    """Whether the block reads a line as the line reader reads it (``line``): its offset, if it has one and words after
    it, as the block's offset, and each of its words as one of the block's words (an offset alone reads no byte)."""
    if block is None:
        return False
    offset, words = block
    return not line.groups or (line.offset in ("", offset) and all(group in words for group in line.groups))


def _lines_back(text: str, end: int, lines: int) -> int:
    """Where the line ``lines`` lines before ``end`` begins."""
    at = end
    for _ in range(lines):
        if (at := text.rfind("\n", 0, max(at - 1, 0))) < 0:
            return 0
    return at + 1


def _in_step(text: str, line: _Line, before: _Line | None) -> _Line:
    """``line``, od -c's fields with no offset under a line of as many bytes as it (od -tx1 -tc's), its first fields of
    spaces left out as long as it has more: the offset's width of spaces under it, read in fields of 4 from the line's
    end, is a field of a space."""
    if line.kind != "chars" or line.offset or before is None or not before.size or len(line.groups) <= before.size:
        return line
    groups, data = line.groups, line.data
    while len(groups) > before.size and not text[slice(*groups[0])].strip():
        groups, data = groups[1:], data[1:]
    return line._replace(groups=groups, data=data)


def _repeat_line(line: str) -> bool:
    """Whether ``line`` is a '*' (after a prefix): the line before it repeated."""
    shown = line.rstrip()
    return shown.endswith("*") and len(shown) <= MAX_PREFIX + 1 and shown[-2:-1] in ("", " ", "\t")


def _offset_alone(text: str, line: _Line, before: _Line | None) -> _Line:
    """``line``, or, if it is one word after a line with an offset, that word as an offset alone (a dump's last line:
    its length), no byte."""
    if before is None or not before.offset or line.offset or line.kind != "hex" or len(line.groups) != 1:
        return line
    start, end = line.groups[0]
    return _Line(text[start:end], [], line.ascii) if 4 <= end - start <= 16 else line


def _columns(text: str, lines: list[tuple[int, _Line | None]]) -> tuple[_Column, ...]:
    """A run's columns, each of one way its lines are read (hex big- and little-endian, od's fields, numbers of each
    base and byte order, the ASCII column): a line of another kind (``od -tx1 -tc``'s rows of characters between its
    rows of hex) is in a column of its own, never between two lines of one. A '*' stands for the line before it, as
    many times as the offsets say (at most MAX_REPEATED_BYTES)."""
    wide = any(
        line is not None and line.kind == "hex" and any(4 <= e - s <= 16 for s, e in line.groups) for _, line in lines
    )
    widths = tuple(
        max((_word_bytes(line.numbers[base]) for _, line in lines if line is not None), default=0) for base in (0, 1)
    )
    led = any(line is not None and line.lead is not None for _, line in lines)
    base = _base(lines) if any(line is None for _, line in lines) else 0
    columns: dict[str, _Column] = {}
    for index, (start, line) in enumerate(lines):
        if line is None:
            before, after = lines[index - 1][1], lines[index + 1][1] if index + 1 < len(lines) else None
            assert before is not None
            times = _repeats(before, after, base)
            for key, shown, _ in _readings(text, before, wide, widths, led):
                (columns.get(key) or columns.setdefault(key, _Column())).add(
                    shown * times, _Piece(_SAME, ((start, start + 1),))
                )
            continue
        for key, shown, piece in _readings(text, line, wide, widths, led):
            (columns.get(key) or columns.setdefault(key, _Column())).add(shown, piece)
    return tuple(columns.values())


def _readings(text: str, line: _Line, wide: bool, widths: tuple[int, ...], led: bool) -> list[tuple[str, str, _Piece]]:
    """What a line shows, each reading as Latin-1 with its column's name and the piece that shows it: its hex bytes
    (and in each group's reverse order, ``wide``), its fields' bytes, its numbers as words of the run's ``widths``
    (decimal's, octal's) either byte order, and its ASCII column."""
    readings: list[tuple[str, str, _Piece]] = []
    if line.kind == "hex":
        # The spaces between skipped; an offset alone has none.
        data = bytes.fromhex(text[line.groups[0][0] : line.groups[-1][1]]) if line.groups else b""
        readings.append(("hex", data.decode("latin-1"), _Piece(_HEX, tuple(line.groups))))
        if wide:
            sizes = itertools.accumulate(((end - start) // 2 for start, end in line.groups), initial=0)
            little = b"".join(data[one:other][::-1] for one, other in itertools.pairwise(sizes))
            readings.append(("little", little.decode("latin-1"), _Piece(_LITTLE, tuple(line.groups))))
    elif line.data:
        readings.append((line.kind, line.data.decode("latin-1"), _Piece(_EACH, tuple(line.groups))))
    numbered = [("", line.groups, line.numbers)]
    if line.lead is not None:
        groups = [line.lead, *line.groups]
        numbered.append((" led", groups, _numbers([text[start:end] for start, end in groups])))
    elif led:  # in the run's column of lines read with their first word too, next to those that have one
        numbered.append((" led", line.groups, line.numbers))
    for suffix, groups, numbers in numbered:
        for name, values, width in zip(("decimal", "octal"), numbers, widths, strict=True):
            if values and width and _word_bytes(values):
                spans = _Piece(_EACH, tuple(groups) if width == 1 else tuple(s for s in groups for _ in range(width)))
                # A byte a word reads alike in both orders: one column (two were a fifth of a narrow dump's reading).
                for order in ("little",) if width == 1 else ("little", "big"):
                    readings.append((f"{name} {order}{suffix}", _as_words(values, width, order), spans))
    readings.append(("ascii", text[slice(*line.ascii)], _Piece(_CHARS, (line.ascii,))))
    return readings


def _as_words(values: tuple[int, ...], width: int, order: str) -> str:
    """``values`` as words of ``width`` bytes in ``order``, read as Latin-1."""
    if width == 1:
        return bytes(value & 0xFF for value in values).decode("latin-1")
    mask = (1 << 8 * width) - 1
    return b"".join((value & mask).to_bytes(width, order) for value in values).decode("latin-1")  # type: ignore[arg-type]


def _word_bytes(values: tuple[int, ...]) -> int:
    """The fewest bytes of a word that hold each of ``values`` (signed or not); 0 if none, or none given."""
    if not values:
        return 0
    least, most = min(values), max(values)
    return next((size for size in WORD_BYTES if least >= -(1 << 8 * size - 1) and most < 1 << 8 * size), 0)


def _base(lines: list[tuple[int, _Line | None]]) -> int:
    """The base the run's offsets are written in, from two lines one after the other: the second's offset is the
    first's and its bytes (16: xxd's, hexdump's; 8: od's by default); 0 if no two lines say. Lines of fewer than 8
    bytes read alike in both till their offsets pass 7 (od -w1's): the first two that tell them apart say."""
    either = 0
    for (_, one), (_, other) in itertools.pairwise(lines):
        if one is None or other is None or not one.offset or not other.offset:
            continue
        bases = [base for base in (16, 8) if _step(one.offset, other.offset, base) == one.size]
        if len(bases) == 1:
            return bases[0]
        either = either or (bases[0] if bases else 0)
    return either


def _step(one: str, other: str, base: int) -> int | None:
    try:
        return int(other, base) - int(one, base)
    except ValueError:
        return None


def _repeats(before: _Line, after: _Line | None, base: int) -> int:
    """How many times a '*' repeats the line before it: as the offsets around it say, once if they do not, never
    past MAX_REPEATED_BYTES."""
    if not base or after is None or not before.size or not before.offset or not after.offset:
        return 1
    gap = int(after.offset, base) - int(before.offset, base)
    if gap <= before.size or gap % before.size:
        return 1
    return max(min(gap // before.size - 1, MAX_REPEATED_BYTES // before.size), 1)


def _parsed(text: str, start: int, end: int) -> _Line | None:
    """The dump line from ``start`` to ``end``, its prefix left out (tried from each of the first few places a hex
    word begins); None if none reads as one."""
    if end - start > MAX_LINE_CHARS:
        return None
    # Hex, or else od's words after an offset (-b, -td1, -ta, -d), from each place in turn: a line of od -td4's words
    # read as hex from its third was read without its first two.
    bodies = _BODY_START.finditer(text, start, min(end, start + MAX_PREFIX + 1))
    earlier: list[int] = []
    for body in itertools.islice(bodies, _BODY_TRIES):
        if (line := _body(text, body.start(), end)) is not None:
            return _all_words(text, _numbers_too(text, _or_words(text, line, body.start(), end)), earlier, end)
        earlier.append(body.start())
        offset = _OFFSET.match(text, body.start(), end)
        if offset is not None and (line := _od_words(text, offset.group(1), offset.end(), end, offset.span(1))):
            return line
    # od's fields with no offset (od -An), from where a run of spaces begins (od -c's 4 characters a field in step
    # with the line's end).
    for body in itertools.islice(_SPACES_START.finditer(text, start, min(end, start + MAX_PREFIX + 1)), _BODY_TRIES):
        at = body.start()
        fields = at + len(text[at:end]) - len(text[at:end].lstrip("\t"))  # a tab is a quote's, never a field's
        if (
            line := _od_chars(text, None, fields + (end - fields) % 4, end) or _od_words(text, "", at, end)
        ) is not None:
            return line
    return None


def _all_words(text: str, line: _Line, earlier: list[int], end: int) -> _Line:
    """``line`` (read from a later place than ``earlier``'s, where a word that may be a dump's begins), or the line's
    words from the first of those they are all numbers and more from: ``> `` before ``od -An -w4 -tu1``'s '101  52  50
    10' read it from '52' (an odd number of digits is no hex), the quote's and '101' its prefix, a secret's byte left
    out."""
    for first in earlier:
        at = first
        while at > 0 and text[at - 1] in " \t":
            at -= 1
        words = _od_words(text, "", at, end) if at < first else None
        if words is not None and any(words.numbers) and len(words.groups) > len(line.groups):
            return words
    return line


def _or_words(text: str, line: _Line, at: int, end: int) -> _Line:
    """``line``, or the same read as od's words if its ASCII column is a number its bytes do not show: ``od -w4 -tu1``'s
    '50  10  97 110' reads as three hex bytes and a column '110', and was read only so (the line's bytes left out of
    the decimal column, a secret in it in clear)."""
    column = text[slice(*line.ascii)]
    if line.kind != "hex" or not line.groups or _DIGITS.fullmatch(column) is None:
        return line
    data = bytes.fromhex(text[line.groups[0][0] : line.groups[-1][1]])
    sizes = list(itertools.accumulate(((stop - start) // 2 for start, stop in line.groups), initial=0))
    little = b"".join(data[one:other][::-1] for one, other in itertools.pairwise(sizes))
    if column.encode() in (data, little):
        return line
    offset = _OFFSET.match(text, at, end)
    while not offset and at > 0 and text[at - 1] in " \t":  # od -An's words: from the spaces before the first
        at -= 1
    words = (
        _od_words(text, offset.group(1), offset.end(), end, offset.span(1)) if offset else _od_words(text, "", at, end)
    )
    return words if words is not None and any(words.numbers) else line


def _numbers_too(text: str, line: _Line) -> _Line:
    """``line``, read as numbers too if its every group is digits and it has no ASCII column (``od -An -td1``'s line of
    bytes under 100, ``od -o``'s and ``od -td4``'s words of an even count of digits, are hex groups too)."""
    if line.kind != "hex" or line.ascii[0] != line.ascii[1]:
        return line
    numbers = _numbers([text[start:end] for start, end in line.groups])
    if not any(numbers):
        return line
    return _Line(line.offset, line.groups, line.ascii, line.kind, line.data, numbers, line.lead)


def _numbers(words: list[str]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """``words`` read as decimal numbers and as octal (either empty if they are not all so)."""
    decimal = tuple(map(int, words)) if all(_DECIMAL.fullmatch(word) for word in words) else ()
    octal = tuple(int(word, 8) for word in words) if all(_OCTAL.fullmatch(word) for word in words) else ()
    return decimal, octal


def _body(text: str, at: int, end: int) -> _Line | None:
    """A dump line's offset (if it has one), groups and ASCII column from ``at``."""
    offset = _OFFSET.match(text, at, end)
    line = _od_chars(text, offset, offset.end(), end) if offset else None
    if line is not None or offset is None:
        return line or _with_ascii(text, "", _groups(text, at, end), end)
    digits = offset.group(1)
    if len(digits) % 2 and not text[offset.end() : end].strip():  # od's last line: its length, no byte
        return _Line(digits, [], (end, end))
    if offset.group(2) or len(digits) % 2:  # a colon after it, or odd: no group
        line = _with_ascii(text, digits, _groups(text, offset.end(), end), end)
        # od -An -td4's line of words, the first odd: an offset or a number.
        return line._replace(lead=offset.span(1)) if line and not offset.group(2) and _may_lead(digits) else line
    # The first word is an offset too if its width is not the next one's.
    groups = _groups(text, at, end)
    if not groups:
        return None
    first, second = groups[0], groups[1] if len(groups) > 1 else groups[0]
    if first[1] - first[0] != second[1] - second[0]:
        return _with_ascii(text, digits, groups[1:], end)
    return _with_ascii(text, "", groups, end)


def _groups(text: str, at: int, end: int) -> list[tuple[int, int]]:
    """The hex groups from ``at`` on, while they are: matched all at once, then each found (a match a group, and its
    group and length asked, was most of the time a megabyte's dump took)."""
    run = _GROUP_RUN.match(text, at, end)
    if run is None or run.end() == at:
        return []
    groups = [word.span() for word in _HEX_WORD.finditer(text, at, run.end())]
    return [] if sum(stop - start for start, stop in groups) // 2 > MAX_LINE_BYTES else groups


def _with_ascii(text: str, offset: str, groups: list[tuple[int, int]], end: int, bits: bool = False) -> _Line | None:
    """The line's groups read while they are hex, then the ASCII column is what is left, as many characters as bytes
    (a column beginning with hex letters, ``dead``, read as a group, is given back). Each group given back is a step:
    measured again from its end, the rest of the line was each time (quadratic in a line's groups)."""
    if not groups:
        return None
    if not bits and all(stop - start == 8 and _BITS.fullmatch(text, start, stop) for start, stop in groups):
        binary = _with_ascii(text, offset, groups, end, bits=True)
        if binary is not None:
            return binary
    last = end  # its spaces at the end are the column's (a line of text dumped)
    first = groups[-1][1]
    while first < last and text[first] in " \t":
        first += 1
    size = 8 if bits else 2  # a byte's digits: xxd -b's 8 bits, or 2 hex
    count = sum(stop - start for start, stop in groups) // size
    kept_most = len(groups)
    if first == last and len(groups) > 1 and not bits:
        # A narrow line's text column of hex letters after two spaces (xxd -c 2's '6563  ec') is its column.
        start, stop = groups[-1]
        if text[start - 2 : start] in ("  ", "\t\t") and stop - start == count - (stop - start) // 2:
            kept_most, count = kept_most - 1, count - (stop - start) // 2
    for kept in range(kept_most, 0, -1):
        begin = first if kept == len(groups) else groups[kept][0]
        column = begin, last
        for opening, closing in _ASCII_BETWEEN:
            if last - begin >= 2 and text[begin] == opening and text[last - 1] == closing:
                column = begin + 1, last - 1
        if column[1] - column[0] in (count, 0):
            if bits:
                data = bytes(int(text[start:stop], 2) for start, stop in groups[:kept])
                return _Line(offset, groups[:kept], column, "bits", data)
            return _Line(offset, groups[:kept], column)
        count -= (groups[kept - 1][1] - groups[kept - 1][0]) // size
    return None


def _od_chars(text: str, offset: re.Match[str] | None, at: int, end: int) -> _Line | None:
    """``od -c``'s line from ``at`` (after the offset, if any): a field of 4 characters a byte (the character, an
    escape, or its octal)."""
    digits = offset.group(1) if offset else ""
    fields: list[tuple[int, int]] = []
    data = bytearray()
    octal = 0
    while at < end and (field := _OD_FIELD.match(text, at, end)) is not None:
        fields.append((at + 1, field.end()))
        body = field.group()
        if field.group(1):
            data.append(int(field.group(1), 8) & 0xFF)
            octal += 1
        else:
            data.append(_OD_ESCAPES[body[3]] if body[2] == "\\" else ord(body[3]))
        at = field.end()
    if at != end or not fields:
        return None
    # Fields all of three digits 0 to 7 are od -tu1's or -td1's decimal bytes too (``od -w4 -tu1``'s '104 111 114 115'
    # read only as octal left 'hors' out of the decimal column: in clear).
    numbers = _numbers([text[start:stop] for start, stop in fields]) if octal == len(fields) else ((), ())
    return _Line(digits, fields, (end, end), "chars", bytes(data), numbers)


def _od_words(text: str, offset: str, at: int, end: int, lead: tuple[int, int] | None = None) -> _Line | None:
    """A line of ``od``'s words apart, read each way a word may be meant: as ``od -ta``'s names and characters, and as
    numbers (``od -b``'s octal bytes, ``-td1``'s decimal ones, ``-d``'s, ``-o``'s, ``-td4``'s wider words)."""
    words: list[tuple[int, int]] = []
    while at < end and (word := _OD_WORD.match(text, at, end)) is not None:
        words.append(word.span(1))
        at = word.end()
        if len(words) > MAX_LINE_BYTES:
            return None
    if (at != end and text[at:end].strip(" \t")) or not words:
        return None
    texts = [text[start:stop] for start, stop in words]
    named = [_named_byte(word) for word in texts]
    data = bytes(byte for byte in named if byte is not None) if None not in named else b""
    numbers = _numbers(texts)
    if not data and not any(numbers):
        return None
    lead = lead if lead is not None and _may_lead(text[slice(*lead)]) and any(_numbers([text[slice(*lead)]])) else None
    return _Line(offset, words, (end, end), "chars" if data else "numbers", data, numbers, lead)


def _may_lead(word: str) -> bool:
    """Whether a line's first word, read as its offset, may be a number of it: a dump's offset is written with zeros
    before it (od's 7 digits, xxd's 8) until it is past 8 digits; od -An's numbers are not (but od -to4's 11)."""
    return not word.startswith("0") or len(word) > 8


def _named_byte(word: str) -> int | None:
    """The byte an ``od -ta`` word (a name or a character) shows; None if none."""
    if len(word) == 1:
        return ord(word)
    return OD_NAMES.get(word)
