"""Many exact strings found in a text in one pass each of a few compiled patterns, whatever their number.

The log and span masker knows up to thousands of values a plan chose (an http_request's headers). One
pattern per value cost every log line and every span a pass per value (2.85 ms a span with 2,048); one
alternation of them all is still a try of every value at every character (1 s per 100 kB), and compiling
it anew for each value added was quadratic. Here the values are a trie written as a pattern (a character
compared once, whatever the count), in levels as a binary counter keeps them: a value added compiles a
small level, levels of like size merge, so each value is compiled about log2(count) times in all and a
text is read by at most that many patterns.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence

# Past this many nested choices (values each the one before and a character more), the rest of a branch is
# a pattern of its own (the compiler recurses once per nesting): as a plain alternation there, 2,048 values
# 'a'*k + 'b' took 3.4 s to look through 1,000 'a's, every value tried at every place.
_MAX_NESTING = 64


class LiteralSet:
    """Exact strings, added any time, found anywhere in a text (overlapping ones too)."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._levels: tuple[tuple[frozenset[str], list[re.Pattern[str]]], ...] = ()
        self.add(values)

    def __len__(self) -> int:
        return sum(len(values) for values, _ in self._levels)

    def add(self, values: Iterable[str]) -> None:
        with self._lock:
            known = frozenset().union(*(level for level, _ in self._levels))
            new = frozenset(v for v in values if v and v not in known)
            if not new:
                return
            levels = list(self._levels)
            while levels and _size(levels[-1][0]) <= 2 * _size(new):
                new = new | levels.pop()[0]
            levels.append((new, _compiled(new)))
            self._levels = tuple(levels)

    def keep_only(self, values: Iterable[str]) -> None:
        """Drop what is not in ``values`` once what was dropped outweighs what is kept (a value forgotten
        and still masked is a value masked, and rebuilding at each one forgotten would be quadratic)."""
        kept = frozenset(values)
        with self._lock:
            if len(self) > 2 * len(kept) + 64:
                self._levels = ((kept, _compiled(kept)),) if kept else ()

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where each value is in ``text``: at each place one begins, the longest beginning there (one per
        pattern: ``masked`` joins those that overlap)."""
        levels = self._levels  # read once: another thread may replace them
        return [match.span(1) for _, patterns in levels for pattern in patterns for match in pattern.finditer(text)]


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


def _size(values: frozenset[str]) -> int:
    return sum(map(len, values))


def _compiled(values: frozenset[str]) -> list[re.Pattern[str]]:
    """The patterns finding ``values``: one, and one more for each branch nested past _MAX_NESTING."""
    patterns: list[re.Pattern[str]] = []
    pending = [sorted(values)]
    while pending:
        deeper: list[list[str]] = []
        # A lookahead matches nothing, so every place a value begins is tried, not only those after the last.
        patterns.append(re.compile(f"(?=({_trie(pending.pop(), 0, '', deeper)}))"))
        pending += deeper
    return patterns


def _trie(values: list[str], depth: int, before: str, deeper: list[list[str]]) -> str:
    """The sorted ``values`` (each after ``before``) as one pattern, their shared beginning written once
    and, at each place they part, a choice of the next character; one ending there comes last (longest
    first). A branch nested past _MAX_NESTING goes to ``deeper``, whole, for a pattern of its own."""
    if len(values) == 1:
        return re.escape(values[0])
    if depth >= _MAX_NESTING:
        deeper.append([before + value for value in values])
        return "(?!)"  # found by its own pattern
    shared = _shared_start(values[0], values[-1])  # sorted: the first and last share least
    rest = [value[len(shared) :] for value in values]
    ends = "" in rest
    branches: list[str] = []
    group: list[str] = []
    for value in (v for v in rest if v):
        if group and group[0][0] != value[0]:
            branches.append(_trie(group, depth + 1, before + shared, deeper))
            group = []
        group.append(value)
    if group:
        branches.append(_trie(group, depth + 1, before + shared, deeper))
    choice = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return re.escape(shared) + (f"(?:{choice})?" if ends else choice)


def _shared_start(first: str, last: str) -> str:
    length = next((i for i, (a, b) in enumerate(zip(first, last, strict=False)) if a != b), min(len(first), len(last)))
    return first[:length]
