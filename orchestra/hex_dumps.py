"""Where a text holds a hex dump (``xxd``'s, ``hexdump -C``'s): its hex columns read as the bytes they show and its
ASCII column as the text it shows, each joined across the dump's lines, what a finder finds in them mapped back to
the characters that show it.

A secret in a dump was in clear: its hex pairs and its characters are cut by the offsets, by the other column, and
by the lines (16 bytes a line), and no form of it is a run of the text.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

from orchestra.literal_set import TEXTS_APART

Finder = Callable[[str], Iterable[tuple[int, int]]]

# A dump's line: an offset (4 to 16 hex digits, ``:`` after it in xxd's), then groups of hex pairs (1 byte in
# hexdump -C's, 2 in xxd's, up to 16 with ``-g``), then the ASCII column (after two spaces, between bars in
# hexdump -C's).
# A line begins a text, follows a line's end, or TEXTS_APART (texts masked together are read joined by it).
_GATE = re.compile(r"(?:^|[\n\r" + TEXTS_APART + r"])[ \t]*[0-9A-Fa-f]{4,16}:?[ \t]+[0-9A-Fa-f]{2}")
_LINE = re.compile(
    r"(?:^|(?<=" + TEXTS_APART + r"))(?P<head>[ \t]*[0-9A-Fa-f]{4,16}:?)(?=[ \t])[^\r\n" + TEXTS_APART + "]*",
    re.MULTILINE,
)
_GROUP = re.compile(r"[ \t]{1,3}((?:[0-9A-Fa-f]{2}){1,16})(?![^ \t\r\n])")
MAX_LINE_BYTES = 256  # xxd -c's most; hexdump -C writes 16


def _may_hold_a_dump(text: str) -> bool:
    """Whether a line of ``text`` begins, after its indent, as a dump's line of its first mebibyte does (``000``: an
    offset of 8 hex digits below 0x100000): each ``000`` found at C speed, its line's start looked at only there.
    Two spaces in a row looked for cost a text of words with many single ones 10 ms a megabyte, more than a tenth of
    masking it; a dump indented (quoted in a log, a Markdown block) was in clear when only a line's first characters
    were looked at."""
    at = text.find("000")
    while at >= 0:
        start = at
        while start > 0 and text[start - 1] in " \t":
            start -= 1
        if start == 0 or text[start - 1] in "\n\r" + TEXTS_APART:
            return True
        at = text.find("000", at + 3)
    return False


class _Column(NamedTuple):
    """What a column of a run of dump lines shows, and where each of its characters is in the text (a byte's two
    hex digits: its first)."""

    shown: str
    places: list[int]
    width: int  # the characters of the text each one of ``shown`` takes


def dump_spans(text: str, find: Finder) -> list[tuple[int, int]]:
    """The characters of ``text`` showing, in a hex dump, what ``find`` finds in the dump's bytes or its ASCII
    column, each column of each run of dump lines read as one text (a secret across lines found whole)."""
    if not _may_hold_a_dump(text) or _GATE.search(text) is None:
        return []
    columns = [column for run in _runs(text) for column in run if column.shown]
    if not columns:
        return []
    joined = TEXTS_APART.join(column.shown for column in columns)
    starts = list(itertools.accumulate((len(column.shown) + 1 for column in columns[:-1]), initial=0))
    spans: list[tuple[int, int]] = []
    for begin, end in find(joined):
        for index in range(max(bisect.bisect_right(starts, begin) - 1, 0), len(columns)):
            column = columns[index]
            first, last = max(begin - starts[index], 0), min(end - starts[index], len(column.shown))
            if last <= 0:
                break
            spans += _line_spans(text, column, first, last)
    return spans


def _line_spans(text: str, column: _Column, first: int, last: int) -> list[tuple[int, int]]:
    """The characters showing ``column.shown[first:last]``: one span a line (the spaces between its bytes too)."""
    spans: list[tuple[int, int]] = []
    for at in range(first, last):
        begin = column.places[at]
        end = begin + column.width
        if spans and "\n" not in text[spans[-1][1] : begin]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((begin, end))
    return spans


def _runs(text: str) -> list[tuple[_Column, _Column]]:
    """Each run of dump lines one after the other: its bytes (read as Latin-1) and its ASCII column."""
    runs: list[tuple[_Column, _Column]] = []
    line_end = -2
    for line in _LINE.finditer(text):
        parsed = _parsed(line)
        if parsed is None:
            line_end = -2
            continue
        (hex_shown, hex_places), (ascii_shown, ascii_places) = parsed
        if not _next_line(text, line_end, line.start()):
            runs.append((_Column("", [], 2), _Column("", [], 1)))
        hex_column, ascii_column = runs[-1]
        runs[-1] = (
            _Column(hex_column.shown + hex_shown, hex_column.places + hex_places, 2),
            _Column(ascii_column.shown + ascii_shown, ascii_column.places + ascii_places, 1),
        )
        line_end = line.end()
    return runs


def _next_line(text: str, line_end: int, start: int) -> bool:
    """Whether a line beginning at ``start`` is the one right after the line that ended at ``line_end``."""
    return line_end >= 0 and text[line_end:start] in ("\n", "\r\n", "\r")


def _parsed(line: re.Match[str]) -> tuple[tuple[str, list[int]], tuple[str, list[int]]] | None:
    """A dump line's bytes and ASCII column, each with its characters' places; None if it shows no byte. Its hex
    groups are read while they are hex, then the ASCII column is what is left, as many characters as bytes (a column
    beginning with hex letters, ``dead``, read as a group, is given back). A line of more bytes than any dump tool
    writes a line (xxd's ``-c`` 256) is no dump's: given back a group at a time, measured again each time, a line of
    thousands of hex pairs took seconds (quadratic)."""
    text, at, end = line.string, line.end("head"), line.end()
    groups: list[tuple[int, int]] = []  # each group's start and end
    count = 0  # the bytes they show
    while (group := _GROUP.match(text, at, end)) is not None:
        groups.append(group.span(1))
        count += len(group.group(1)) // 2
        if count > MAX_LINE_BYTES:
            return None
        at = group.end()
    while groups:
        after = groups[-1][1]
        first, last = after, end  # the rest of the line, its leading spaces left out
        while first < end and text[first] in " \t":
            first += 1
        if last - first > 2 and text[first] == text[last - 1] == "|":
            first, last = first + 1, last - 1
        if last - first == count or first == end:
            places = [at for begin_, end_ in groups for at in range(begin_, end_, 2)]
            hex_shown = bytes.fromhex("".join(text[begin_:end_] for begin_, end_ in groups)).decode("latin-1")
            return (hex_shown, places), (text[first:last], list(range(first, last)))
        begin_, end_ = groups.pop()
        count -= (end_ - begin_) // 2
    return None
