"""Where in a text a secret's form may begin, found by RE2 before the masker's own patterns run.

The masker's patterns (orchestra/secrets.py) need Python's ``re``: their token edges are lookarounds and
conditionals. Tried by it at every character, a pattern of 50 short secrets' every form cost about 9 s
per megabyte of a tool's output, 200 of them about 35 s, on the thread that masks every log line: a plan
that prints a lot stalled the worker. The same forms without their edges are a regular language, which
RE2 reads as an automaton, a few milliseconds a megabyte once its states are built; only where it finds
one's start does ``re`` run there. A form matched by the masker begins where its edges-free core does, so
nothing the masker finds is lost: the starts are a superset, and at each the masker decides as before.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import re2

from orchestra.invisible_chars import INVISIBLE, RAW_INVISIBLE, RAW_SPACED, SPACED

# Between a secret's characters: the invisible characters as they are, or any \uXXXX escape (once or
# twice escaped, either case of u): more than the masker's list, an automaton a fraction the size.
_ANY_INVISIBLE = rf"(?:[{RAW_INVISIBLE}]|\\{{1,2}}[uU][0-9a-fA-F]{{4}})*"
_ANY_SPACED = rf"(?:[{RAW_SPACED}]|\\{{1,2}}[uU][0-9a-fA-F]{{4}})*"  # and spaces, between a long secret's
# Enough for the automata of a few hundred secrets' forms: RE2 falls back to a slower reading past it.
_MEMORY = 256 << 20


class Prefilter:
    """RE2 of a masker pattern's core (no lookarounds, no conditionals, no capturing groups): where it can
    begin to match in a text."""

    def __init__(self, core: str) -> None:
        options = re2.Options()
        options.max_mem = _MEMORY
        options.longest_match = True  # any match's start is all it reports; longest lets RE2 read backwards
        self._regexp = re2.compile(
            core.replace(SPACED, _ANY_SPACED).replace(INVISIBLE, _ANY_INVISIBLE).encode(), options
        )

    def starts(self, text: Encoded) -> list[int]:
        """Every character offset of ``text`` where a match begins, in order."""
        found, at = [], 0
        while (match := self._regexp.search(text.data, at)) is not None:
            found.append(match.start())
            at = match.start() + 1
        return text.chars(found)

    def first(self, text: Encoded, at: int) -> int | None:
        """Where the first match from byte ``at`` on begins, a byte's offset."""
        match = self._regexp.search(text.data, at)
        return None if match is None else match.start()

    def found(self, text: Encoded) -> bool:
        return self._regexp.search(text.data) is not None


class Encoded:
    """A text as RE2 reads it (UTF-8, half surrogate pairs passed through: no pattern of a UTF-8 secret
    matches one), and its byte offsets as the text's character offsets."""

    def __init__(self, text: str) -> None:
        self.data = text.encode("utf-8", "surrogatepass")
        self.ascii = len(self.data) == len(text)  # each character a byte: offsets are the same

    def chars(self, offsets: Sequence[int]) -> list[int]:
        """``offsets`` (bytes, ascending) as character offsets; one inside a character's bytes is left out."""
        if self.ascii:
            return list(offsets)
        chars, last_byte, last_char = [], 0, 0
        for offset in offsets:
            if 0x80 <= self.data[offset] < 0xC0:
                continue
            last_char += len(self.data[last_byte:offset].decode("utf-8", "surrogatepass"))
            last_byte = offset
            chars.append(last_char)
        return chars


@functools.lru_cache(maxsize=4096)
def prefilter(core: str) -> Prefilter | None:
    """The prefilter of ``core``, or None where RE2 cannot take it (a secret holding half a surrogate
    pair, a pattern past RE2's size): its masker reads every character then, as before."""
    try:
        return Prefilter(core)
    except (re2.error, UnicodeEncodeError):
        return None


# The pattern characters one prefilter takes at most: past some hundreds of thousands, RE2's automaton had no room in
# its memory and it read each text by a slower machine (seconds a megabyte); and each call holds the GIL.
MOST_CHARACTERS = 60_000


@functools.lru_cache(maxsize=256)
def prefilters(cores: tuple[str, ...]) -> tuple[Prefilter, ...] | None:
    """Prefilters of the alternation of ``cores``, a few of them in each; None if RE2 cannot take one."""
    groups: list[list[str]] = [[]]
    for core in cores:
        if groups[-1] and sum(map(len, groups[-1])) + len(core) > MOST_CHARACTERS:
            groups.append([])
        groups[-1].append(core)
    found = [prefilter("|".join(f"(?:{core})" for core in group)) for group in groups if group]
    return None if any(one is None for one in found) else tuple(one for one in found if one is not None)


def matches_past(
    filters: Sequence[Prefilter], text: Encoded, match: Callable[[int], int | None]
) -> list[tuple[int, int]]:
    """``match``'s matches (where one from a place ends, or None) tried where ``filters`` find one may begin, each
    looked for only past the last match's end (``text`` ASCII: its byte offsets are its characters'). Every start
    found first, a long secret of one character repeated against a long run of it was an RE2 search a character
    (4.5 s a megabyte), though all but one in each match's length were inside a match already."""
    assert text.ascii
    spans: list[tuple[int, int]] = []
    at = 0
    # Each filter's next start, looked for again only once passed (one that has none is never asked again: asked each
    # time, it read the rest of the text for each match of another).
    nexts: list[int | None] = [-1] * len(filters)
    while True:
        for index, one in enumerate(filters):
            if (known := nexts[index]) is not None and known < at:
                nexts[index] = one.first(text, at)
        if not (found := [start for start in nexts if start is not None]):
            return spans
        start = min(found)
        end = match(start)
        if end is not None and end > start:
            spans.append((start, end))
            at = end
        else:
            at = start + 1


def starts_in(filters: Sequence[Prefilter], text: Encoded) -> list[int]:
    """Where a match of any of ``filters`` may begin in ``text``, in order, each place once."""
    if len(filters) == 1:
        return filters[0].starts(text)
    return sorted({start for one in filters for start in one.starts(text)})
