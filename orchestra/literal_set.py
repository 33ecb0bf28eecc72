"""Many exact strings found in a text in one pass, in time linear in the text, whatever the strings.

The log and span masker knows up to thousands of values a plan chose (an http_request's headers). One
pattern per value cost every log line and every span a pass per value (2.85 ms a span with 2,048). A
regex of them all (a trie, tried at every place) cost the text's length times the longest value when
the values were each a prefix of the next (``a``, ``aa``, ``aaa``...: 5.7 s for 10,000 ``a``). Here they
are Aho-Corasick automata: each character read moves one state (and back along failure links, no more
than it moved forward), and each state knows the longest value ending there; every shorter value ending
there is inside it, so the runs they cover are the same. The automata are kept in levels as a binary
counter keeps them: a value added builds a small one, levels of like size merge, so each value is built
about log2(count) times in all and a text is read by at most that many automata.
"""

from __future__ import annotations

import bisect
import itertools
import re
import threading
from array import array
from collections.abc import Callable, Iterable, Sequence

# A level stops growing past this many characters: merging the whole set into one level was a build of
# all of it on the remembering thread (2,048 values of 45 characters: 0.14 s at once; about 0.2-0.75 s for
# the regex before); levels this size, and up to log2 of it smaller, are each read in one pass.
_LEVEL_SIZE = 1 << 14
_CODE_BITS = 21  # a transition's key is its state and its character's code point, which fits in 21 bits


class LiteralSet:
    """Exact strings, added any time, found anywhere in a text (overlapping ones too)."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._levels: tuple[_Automaton | _Long, ...] = ()
        self.add(values)

    def __len__(self) -> int:
        return sum(len(level.values) for level in self._levels)

    @property
    def size(self) -> int:
        """The characters of all the values held."""
        return sum(level.size for level in self._levels)

    @property
    def longest(self) -> int:
        """The characters of the longest value held: how far past a place a text must be read for a value
        begun before it to be found (``redaction.quoted_start``)."""
        return max((level.longest for level in self._levels), default=0)

    def outweighs(self, count: int, size: int) -> bool:
        """Whether what this holds outweighs ``count`` values of ``size`` characters in all enough to be
        rebuilt with only those: by number, or by size (one value of a megabyte forgotten among small ones)."""
        return len(self) > 2 * count + 64 or self.size > 2 * size + _LEVEL_SIZE

    def add(self, values: Iterable[str]) -> None:
        with self._lock:
            known = frozenset().union(*(level.values for level in self._levels))
            new = frozenset(v for v in values if v and v not in known)
            if not new:
                return
            levels = list(self._levels)
            long = {value for value in new if len(value) > _LEVEL_SIZE}
            new -= long
            size = _size(new)
            while new and levels and levels[-1].size <= 2 * size and levels[-1].size + size <= _LEVEL_SIZE:
                new = new | levels.pop().values
                size = _size(new)
            if new:
                levels.append(_Automaton(new))
            levels += map(_Long, sorted(long))
            self._levels = tuple(levels)

    def keep_only(self, values: Iterable[str]) -> None:
        """Drop what is not in ``values`` once what was dropped outweighs what is kept (a value forgotten
        and still masked is a value masked, and rebuilding at each one forgotten would be quadratic)."""
        kept = frozenset(values)
        with self._lock:
            if self.outweighs(len(kept), _size(kept)):
                self._levels = tuple(_level(chunk) for chunk in _chunks(kept))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the values are in ``text``: the runs of overlapping ones, each level's own (``masked``
        joins those of different levels)."""
        levels = self._levels  # read once: another thread may replace them
        return [span for level in levels for span in level.runs(text)]


def masked(text: str, spans: Sequence[tuple[int, int]], mask: str) -> str:
    """``text`` with each run of overlapping ``spans`` replaced by one ``mask``: masked one after the
    other, a shorter value found first hid the start of a longer one, whose end was left in clear."""
    merged: list[list[int]] = []
    for begin, end in sorted(spans):
        if merged and begin < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([begin, end])
    parts: list[str] = []
    done = 0
    for begin, end in merged:
        parts += [text[done:begin], mask]
        done = end
    parts.append(text[done:])
    return "".join(parts)


def across(texts: Sequence[str], found: Callable[[str], Iterable[tuple[int, int]]]) -> list[list[tuple[int, int]]]:
    """For each of ``texts``, the parts of it that ``found`` finds in them joined only by running from it
    into the next (half a secret at the end of one, its rest at the start of the next), as [begin, end)."""
    starts = list(itertools.accumulate(map(len, texts), initial=0))
    parts: list[list[tuple[int, int]]] = [[] for _ in texts]
    for begin, end in found("".join(texts)):
        first, last = bisect.bisect_right(starts, begin) - 1, bisect.bisect_left(starts, end) - 1
        for index in range(first, last + 1) if first < last else ():
            part = (max(begin, starts[index]) - starts[index], min(end, starts[index + 1]) - starts[index])
            if part[0] < part[1]:
                parts[index].append(part)
    return parts


def across_ends(
    texts: Sequence[str], found: Callable[[str], Iterable[tuple[int, int]]], reach: int
) -> list[list[tuple[int, int]]]:
    """``across``, reading of each text only its first and last ``reach`` characters, the most a form running into
    the next or from the one before may take of it (``TEXTS_APART`` between them): joined whole, every text was read
    once more than masking each alone reads it (a log line's field of 64 KiB, a megabyte's body beside its status)."""
    ends = [text if len(text) <= 2 * reach + 1 else text[:reach] + TEXTS_APART + text[-reach:] for text in texts]
    moved: list[list[tuple[int, int]]] = []
    for text, end, parts in zip(texts, ends, across(ends, found), strict=True):
        shift = len(text) - len(end)
        moved.append([(begin + shift, stop + shift) if begin > reach else (begin, stop) for begin, stop in parts])
    return moved


def masked_around(text: str, mask: str, found: Callable[[str], Iterable[tuple[int, int]]]) -> str:
    """``text`` with what ``found`` finds masked (``masked``), looked for only between the places that
    hold ``mask`` already, which stay as they are. A value that is part of the mask (``REDACT``) or runs
    into it (``ED] and``) masked it again on each pass (``[[REDACTED]ED]`` and longer); where the mask
    is never looked into, what one pass leaves has nothing left to find, and masking twice changes nothing."""
    parts: list[str] = []
    done = 0
    for begin, end in [*_occurrences(text, mask), (len(text), len(text))]:
        piece = text[done:begin]
        parts += [masked(piece, list(found(piece)), mask), text[begin:end]]
        done = end
    return "".join(parts)


# Between texts masked together: no form of a secret holds it (the masker's patterns are of characters a text
# writes, and a lone surrogate is none; a plan's values are remembered in parts apart from it), and no run of
# base64, hex or percent escapes goes on past it.
TEXTS_APART = "\ud800"


def masked_around_each(texts: Sequence[str], mask: str, found: Callable[[str], Iterable[tuple[int, int]]]) -> list[str]:
    """Each of ``texts`` as ``masked_around`` masks it, with one call of ``found`` for them all: their parts
    between masks joined, each from the next by a character that is an edge to every form. A call per text
    cost a line of 2x10^4 small texts seconds (every matcher's pass, 30-80 us a text, whatever its size). A
    form that ran across the joint could only mask more, never less."""
    pieces: list[tuple[int, int, int]] = []  # (text, begin, end) of each part between the masks it holds
    for index, text in enumerate(texts):
        done = 0
        for begin, end in [*_occurrences(text, mask), (len(text), len(text))]:
            pieces.append((index, done, begin))
            done = end
    spans: list[list[tuple[int, int]]] = [[] for _ in texts]
    for (index, _, _), found_in in zip(pieces, _found_in_pieces(texts, pieces, found), strict=True):
        spans[index] += found_in
    return [masked(text, found_in, mask) if found_in else text for text, found_in in zip(texts, spans, strict=True)]


def _found_in_pieces(
    texts: Sequence[str], pieces: Sequence[tuple[int, int, int]], found: Callable[[str], Iterable[tuple[int, int]]]
) -> list[list[tuple[int, int]]]:
    """What ``found`` finds in each ``(text, begin, end)`` piece of ``texts`` (in the text's places), read in one
    call: the pieces joined by TEXTS_APART."""
    joined = TEXTS_APART.join(texts[index][begin:end] for index, begin, end in pieces)
    starts = list(itertools.accumulate((end - begin + 1 for _, begin, end in pieces[:-1]), initial=0))
    spans: list[list[tuple[int, int]]] = [[] for _ in pieces]
    for begin, end in found(joined):
        for at in range(max(bisect.bisect_right(starts, begin) - 1, 0), len(pieces)):
            if starts[at] >= end:
                break
            _, piece_begin, piece_end = pieces[at]
            first = piece_begin + max(begin - starts[at], 0)
            last = piece_begin + min(end - starts[at], piece_end - piece_begin)
            if first < last:
                spans[at].append((first, last))
    return spans


# Read again beside a new mask, the characters past ``reach`` whose reading its cut may change: a token's edge looks
# a few characters back (an escape: ``\u00XX-``), a base64 or percent-escaped run's decoded edge a few bytes' worth.
_CUT_SLACK = 64


def masked_until_stable(
    texts: Sequence[str],
    mask: str,
    found: Callable[[str], Iterable[tuple[int, int]]],
    reach: int,
    whole: Callable[[str], Iterable[tuple[int, int]]] | None = None,
    most_passes: int = 8,
) -> list[str]:
    """Each of ``texts`` masked (``masked_around_each``; ``whole``: what is found across the masks too, a
    secret that holds the mask) until masking it again changes nothing. One pass was not enough: a mask
    is an edge, and what it put beside a short secret made that one a word of its own ('pin7' before a
    long secret masked stood in clear, as 'pin7***'). A part between masks is masked alike wherever it
    is (its text alone decides), and what a form of ``reach`` characters at most is found depends on only
    the characters near it: each pass after the first reads only the parts it has not read before (those
    beside the masks the last pass made), and of a long one its ends only. Past ``most_passes`` (a chain
    of secrets, each whole only once the next is masked: a text made to cost a pass per secret), what was
    not yet read again is masked whole."""
    clean: set[str] = set()
    current = list(texts)
    pending = [index for index, text in enumerate(current) if text]
    window = None  # the first pass reads every part whole
    for _ in range(most_passes):
        if not pending:
            return current
        before = [current[index] for index in pending]
        after = before
        if whole is not None:
            after = [masked(text, spans, mask) if (spans := list(whole(text))) else text for text in after]
        after = _masked_pieces(after, mask, found, clean, window)
        for index, text in zip(pending, after, strict=True):
            current[index] = text
        pending = [index for index, old, new in zip(pending, before, after, strict=True) if old != new]
        window = reach + 2 * _CUT_SLACK
    for index in pending:
        current[index] = _masked_unread(current[index], mask, clean)
    return current


def _masked_pieces(
    texts: Sequence[str],
    mask: str,
    found: Callable[[str], Iterable[tuple[int, int]]],
    clean: set[str],
    window: int | None,
) -> list[str]:
    """``masked_around_each``, leaving out the parts between masks that are in ``clean`` (read before, and found
    to hold nothing), and adding to it those read now that hold nothing in a text that changed (only those are read
    again). ``window``: of a part more than twice as long, only its first and last ``window`` characters are read,
    and of what is found in each only what is clear of the cut by _CUT_SLACK (a cut is an edge the text does not
    have). Sliced and looked up only after the first pass: every small text of an output of 10^4 rows was."""
    if window is None:  # the first pass: every part read whole, as masked_around_each reads it
        return _masked_first(texts, mask, found, clean)
    pieces: list[tuple[int, int, int]] = []
    kept: list[tuple[int, int, int]] = []  # of each piece read: its part's number, where what is found in it counts
    parts: list[tuple[int, int, int]] = []  # each part between masks read: its text, begin and end
    for index, text in enumerate(texts):
        done = 0
        for begin, end in [*_occurrences(text, mask), (len(text), len(text))]:
            if begin > done and not (clean and text[done:begin] in clean):
                if begin - done <= 2 * window:
                    pieces.append((index, done, begin))
                    kept.append((len(parts), done, begin))
                else:
                    pieces += [(index, done, done + window), (index, begin - window, begin)]
                    kept += [
                        (len(parts), done, done + window - _CUT_SLACK),
                        (len(parts), begin - window + _CUT_SLACK, begin),
                    ]
                parts.append((index, done, begin))
            done = end
    if not pieces:
        return list(texts)
    spans: list[list[tuple[int, int]]] = [[] for _ in texts]
    holding: set[int] = set()
    for (index, _, _), (number, first, last), found_in in zip(
        pieces, kept, _found_in_pieces(texts, pieces, found), strict=True
    ):
        counted = [(begin, end) for begin, end in found_in if first <= begin and end <= last]
        if counted:
            spans[index] += counted
            holding.add(number)
    if holding:
        clean.update(
            texts[index][begin:end]
            for number, (index, begin, end) in enumerate(parts)
            if spans[index] and number not in holding
        )
    return [masked(text, found_in, mask) if found_in else text for text, found_in in zip(texts, spans, strict=True)]


def _masked_first(
    texts: Sequence[str], mask: str, found: Callable[[str], Iterable[tuple[int, int]]], clean: set[str]
) -> list[str]:
    """``_masked_pieces``' first pass: each part between masks read whole; of a text that changed, the parts that
    held nothing added to ``clean``."""
    pieces = [
        (index, done, begin) for index, text in enumerate(texts) for done, begin in _between(text, mask) if begin > done
    ]
    if not pieces:
        return list(texts)
    spans: list[list[tuple[int, int]]] = [[] for _ in texts]
    found_in_pieces = _found_in_pieces(texts, pieces, found)
    for (index, _, _), found_in in zip(pieces, found_in_pieces, strict=True):
        spans[index] += found_in
    clean.update(
        texts[index][begin:end]
        for (index, begin, end), found_in in zip(pieces, found_in_pieces, strict=True)
        if spans[index] and not found_in
    )
    return [masked(text, found_in, mask) if found_in else text for text, found_in in zip(texts, spans, strict=True)]


def _between(text: str, mask: str) -> list[tuple[int, int]]:
    """The begin and end of each part of ``text`` between the masks it holds (empty ones too)."""
    held = _occurrences(text, mask)
    return list(zip([0, *(end for _, end in held)], [*(begin for begin, _ in held), len(text)], strict=True))


def _masked_unread(text: str, mask: str, clean: set[str]) -> str:
    """``text`` with each part between its masks that is not in ``clean`` masked whole."""
    parts: list[str] = []
    done = 0
    for begin, end in [*_occurrences(text, mask), (len(text), len(text))]:
        piece = text[done:begin]
        parts += [piece if not piece or piece in clean else mask, text[begin:end]]
        done = end
    return "".join(parts)


def beside_mask(value: str, mask: str, shortest: int) -> frozenset[str]:
    """What must be masked too for ``value`` to be masked where a text puts the mask against it
    (``masked_around`` never looks into the mask): ``**`` before a secret ``*pw`` hid its first
    character, and ``pw`` was left in clear. The parts of ``value`` outside the mask it holds, each less
    any beginning that may end the mask and any end that may begin it (in any letter case, as the forms
    of a secret are found), of ``shortest`` characters or more; none if it meets nothing of the mask."""
    lowered, mask_lowered = value.lower(), mask.lower()
    if len(lowered) != len(value) or not mask:  # lower case of other lengths (İ): as written only
        lowered, mask_lowered = value, mask
    parts: set[str] = set()
    done = 0
    for begin, end in [*_occurrences(lowered, mask_lowered), (len(value), len(value))]:
        first, last = done, begin
        while (cut := _longest_shared(lowered[first:last], mask_lowered, at_start=True)) > 0:
            first += cut
        while (cut := _longest_shared(lowered[first:last], mask_lowered, at_start=False)) > 0:
            last -= cut
        parts.add(value[first:last])
        done = end
    parts = {part for part in parts if len(part) >= shortest}
    return frozenset() if parts == {value} else frozenset(parts)


def _longest_shared(part: str, mask: str, *, at_start: bool) -> int:
    """The most characters ``part`` begins with that end ``mask`` (``at_start``), or ends with that begin it."""
    for size in range(min(len(part), len(mask) - 1), 0, -1):
        if (part[:size] == mask[-size:]) if at_start else (part[-size:] == mask[:size]):
            return size
    return 0


def _occurrences(text: str, mask: str) -> list[tuple[int, int]]:
    """Where ``mask`` is in ``text``, overlapping ones joined (``****`` holds ``***`` twice)."""
    held: list[tuple[int, int]] = []
    at = text.find(mask) if mask else -1
    while at >= 0:
        if held and at < held[-1][1]:
            held[-1] = (held[-1][0], at + len(mask))
        else:
            held.append((at, at + len(mask)))
        at = text.find(mask, at + 1)
    return held


def _size(values: frozenset[str]) -> int:
    return sum(map(len, values))


def _chunks(values: frozenset[str]) -> list[frozenset[str]]:
    """``values`` in sets of up to _LEVEL_SIZE characters (a longer value alone)."""
    chunks: list[list[str]] = []
    size = _LEVEL_SIZE
    for value in sorted(values):
        if size + len(value) > _LEVEL_SIZE:
            chunks.append([])
            size = 0
        chunks[-1].append(value)
        size += len(value)
    return [frozenset(chunk) for chunk in chunks]


def _level(values: frozenset[str]) -> _Automaton | _Long:
    (value,) = values if len(values) == 1 else ("",)
    return _Long(value) if len(value) > _LEVEL_SIZE else _Automaton(values)


class _Long:
    """One value longer than a level, found by ``str.find`` (C, linear in the text) rather than built into
    an automaton: a plan's header of a mebibyte was 4.3 s of the GIL and 250 MB at the peak to build, on
    the thread remembering it, for each such header a run sent."""

    def __init__(self, value: str) -> None:
        self.value = value
        self.values = frozenset({value})
        self.size = self.longest = len(value)

    def runs(self, text: str) -> list[tuple[int, int]]:
        """The runs of overlapping occurrences of the value in ``text``, in order, each as [begin, end).
        Two overlapping occurrences ``step`` apart make ``step`` a period of the value; a short one (``aaa...``
        in a text of ``a``) would make finding each occurrence in turn quadratic, so the run is extended
        over whole periods at once while the text goes on repeating it."""
        value, length = self.value, self.size
        runs: list[tuple[int, int]] = []
        at = text.find(value)
        while at >= 0:
            end = at + length
            while 0 <= (following := text.find(value, end - length + 1)) < end:
                step = following - (end - length)
                end = following + length
                if step <= length // 2:
                    end = _repeated_to(text, end, value, step)
            runs.append((at, end))
            at = following
        return runs


def _repeated_to(text: str, end: int, value: str, step: int) -> int:
    """How far ``text`` goes on repeating ``value``'s period ``step`` from ``end``, where an occurrence of
    ``value`` ends: in strides of as many whole periods as fit in it, halved when the text stops repeating
    (each stride one comparison in C)."""
    stride = len(value) // step * step
    while stride >= step:
        if text.startswith(value[len(value) - stride :], end):
            end += stride
        else:
            stride = stride // 2 // step * step
    return end


class _Automaton:
    """An Aho-Corasick automaton of ``values``: a trie whose states also know where to go on a character
    they have no transition for (the longest suffix of what was read that is still in the trie).

    Most states have one way on, to the state made just after them (a value's own rest): that is an array
    entry, ``solo``; only where values part is a transition a dict entry. All in dicts and lists, 2,048
    values of 45 characters in three forms took 27 MB (about 90 bytes a character), now 7.6 MB."""

    def __init__(self, values: frozenset[str]) -> None:
        self.values = values
        self.size = _size(values)
        self.longest = max(map(len, values), default=0)
        goto: dict[int, int] = {}
        solo = array("i", [-1])
        parent_key = [0]  # per state: its parent's transition key to it (0 for the root)
        depth = [0]
        ends = [False]
        for value in sorted(values):  # in order: a value's next shares the longest beginning with it
            state = 0
            for char in value:
                code = ord(char)
                following = _forward(goto, solo, state, code)
                if following is None:
                    following = len(depth)
                    if state == following - 1 and solo[state] < 0:
                        solo[state] = code
                    else:
                        goto[state << _CODE_BITS | code] = following
                    solo.append(-1)
                    parent_key.append(state << _CODE_BITS | code)
                    depth.append(depth[state] + 1)
                    ends.append(False)
                state = following
            ends[state] = True
        by_depth: list[list[int]] = [[] for _ in range(max(depth) + 1)]
        for state, level in enumerate(depth):
            by_depth[level].append(state)
        fail = array("i", bytes(4 * len(depth)))
        longest = array("i", bytes(4 * len(depth)))  # the longest value ending where a state was reached
        mask = (1 << _CODE_BITS) - 1
        for states in by_depth[1:]:  # a state's failure link is shorter than it: those are known already
            for state in states:
                key = parent_key[state]
                parent = key >> _CODE_BITS
                if parent:
                    fail[state] = _step(goto, solo, fail, fail[parent], key & mask)
                longest[state] = depth[state] if ends[state] else longest[fail[state]]
        self._goto, self._solo, self._fail, self._longest = goto, solo, fail, longest
        # Where the text may begin a value: the reading skips to there from the root at C speed.
        firsts = [chr(key & mask) for key in goto if key >> _CODE_BITS == 0] + [chr(solo[0])]
        self._first = re.compile("[" + "".join(map(re.escape, firsts)) + "]")

    def runs(self, text: str) -> list[tuple[int, int]]:
        """The runs of overlapping values in ``text``, in order, each as [begin, end)."""
        goto, solo, fail, longest, first = self._goto, self._solo, self._fail, self._longest, self._first
        runs: list[tuple[int, int]] = []
        state = 0
        at = 0
        length = len(text)
        while at < length:
            if not state:
                found = first.search(text, at)
                if found is None:
                    break
                at = found.start()
            state = _step(goto, solo, fail, state, ord(text[at]))
            at += 1
            found_length = longest[state]
            if found_length:
                begin = at - found_length
                # Runs end in order; one this begins before or at swallows them, one it meets grows.
                while runs and runs[-1][0] >= begin:
                    runs.pop()
                if runs and begin < runs[-1][1]:
                    begin = runs.pop()[0]
                runs.append((begin, at))
        return runs


def _forward(goto: dict[int, int], solo: array[int], state: int, code: int) -> int | None:
    """The trie's own transition from ``state`` on ``code``, if it has one."""
    return state + 1 if solo[state] == code else goto.get(state << _CODE_BITS | code)


def _step(goto: dict[int, int], solo: array[int], fail: array[int], state: int, code: int) -> int:
    """The state after reading ``code`` in ``state``: its transition, or its failure link's, to the root."""
    while True:
        if solo[state] == code:
            return state + 1
        following = goto.get(state << _CODE_BITS | code)
        if following is not None:
            return following
        if not state:
            return 0
        state = fail[state]
