"""An endpoint's own credentials masked in what it answers, without holding the worker for the answer's length.

The masker's patterns (orchestra/secrets.py: every form a key may take) read about a microsecond a character,
in one regular-expression call per text, which holds Python's lock throughout: a 6 MB tool-call argument
held every other thread of the worker, the event loop and its heartbeats with it, for 5 s. A long text is
read in windows instead, each overlapping the next by as much as a form of the key can take, so the lock is
let go between them and no match is cut in two.
"""

from __future__ import annotations

from typing import Any

from orchestra.literal_set import masked
from orchestra.secrets import MASK, Masker, longest_form, rebuilt

WINDOW_CHARS = 64 * 1024  # a few tens of milliseconds of the masker each


class Credentials:
    def __init__(self, values: list[str]) -> None:
        self._masker = Masker(values)
        self._reach = longest_form(values) if values else 0
        self._any = bool(values)

    def value(self, data: Any, size: int) -> Any:
        """``data`` (a parsed answer of ``size`` bytes) with every form of the credentials masked in its
        strings: as the masker does, across neighbouring strings too, when it is short; else string by
        string, in windows (a text split into content parts is masked again once joined: ``text``)."""
        if not self._any:
            return data
        return self._masker.value(data) if size <= WINDOW_CHARS else rebuilt(data, self.text)

    def text(self, text: str) -> str:
        if len(text) <= WINDOW_CHARS:
            return self._masker.text(text)
        spans: list[tuple[int, int]] = []
        for start in range(0, len(text), WINDOW_CHARS):
            window = text[start : start + WINDOW_CHARS + self._reach]
            spans += [(start + begin, start + end) for begin, end in self._masker.spans(window)]
        return masked(text, spans, MASK)
