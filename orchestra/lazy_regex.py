"""Regular expressions compiled when first used rather than when their module is imported.

The task analysis (orchestra/analysis) defines about 200 patterns at module level, and compiling them all
cost every `plan` about a third of its CPU time, though a task uses only the patterns its words reach
(a two-step task, about 120). ``lazy_compile`` is ``re.compile`` for such a pattern: the same methods,
compiled on the first call of any of them; from then on they are the compiled pattern's own bound methods,
so a pattern used in a loop costs what a compiled one does. tests/intelligence/test_lazy_patterns.py
compiles every one of them, so a pattern that does not compile still fails a test rather than a task.
The engine's code of each is kept between processes (orchestra/regex_cache.py).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

from orchestra import regex_cache

# The methods a first call replaces with the compiled pattern's own (instance attributes hide the class's).
_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class LazyPattern:
    """``re.compile(pattern, flags)``, compiled on first use. ``pattern`` and ``flags`` are as given (read
    without compiling: other patterns are built from ``pattern``)."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            compiled = regex_cache.compiled(self.pattern, self.flags)
            vars(self).update({name: getattr(compiled, name) for name in _METHODS})
            self._compiled = compiled
        return self._compiled

    def __repr__(self) -> str:
        return f"lazy_compile({self.pattern!r}, {self.flags!r})"

    # Each is called once at most: the first call puts the compiled pattern's method in its place.
    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.fullmatch(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled.findall(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compiled.sub(repl, string, count)

    def subn(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> tuple[str, int]:
        return self.compiled.subn(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return self.compiled.split(string, maxsplit)


def lazy_compile(pattern: str, flags: int = 0) -> LazyPattern:
    """``re.compile(pattern, flags)``, compiled when first used."""
    return LazyPattern(pattern, flags)
