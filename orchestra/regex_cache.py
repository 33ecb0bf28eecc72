"""Regular expressions compiled once per machine rather than once per process.

Python compiles a pattern in Python code (``re._parser``, ``re._compiler``), and the task analysis's patterns are
long word lists: compiling the 150-200 a task reaches was about a third of a fresh `plan` process's CPU time, on
every call. What compiling yields, the regex engine's code, is plain data (a list of integers). It is kept in the
planning cache (``selection/disk_cache``: files of this user's own, read with ``marshal``, which runs no code),
keyed by Python's exact version and the engine's ``MAGIC``, and handed back to the engine, which checks the code
before it takes it. Anything unexpected (another Python's internals, a damaged entry) falls back to
``re.compile``, so the cache can make a pattern faster to get, never different.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]  # the engine re.compile hands its code to
import re
import sys
import threading
from typing import Any

from orchestra.selection import disk_cache

KIND = "regex"
KEY = f"{sys.version} sre {_sre.MAGIC}"
# More than the patterns of every module (about 400): a cache past this keeps only what its last process used.
MOST_KEPT = 2000

_lock = threading.Lock()
_known: dict[tuple[str, int], tuple[Any, ...]] | None = None
_used: set[tuple[str, int]] = set()
_compiled_here = False  # whether this process compiled a pattern the cache did not hold


def compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the engine's code kept by an earlier process when there is one."""
    key = (pattern, int(flags))
    with _lock:
        entry = _loaded().get(key)
    if entry is not None:
        try:
            made: re.Pattern[str] = _sre.compile(pattern, *entry)
        except (TypeError, ValueError, RuntimeError):  # refused by the engine's check: compiled again below
            pass
        else:
            _used.add(key)
            return made
    try:
        entry = _engine_code(pattern, int(flags))
        made = _sre.compile(pattern, *entry)
    except (AttributeError, TypeError, ValueError, RuntimeError, re.error):
        return re.compile(pattern, flags)  # another Python's internals; or a bad pattern, said as re says it
    global _compiled_here
    with _lock:
        _loaded()[key] = entry
        _used.add(key)
        _compiled_here = True
    return made


def keep() -> None:
    """Store the patterns compiled here for the next process (once a command is done: a failure to write is
    no error)."""
    global _compiled_here
    with _lock:
        if not _compiled_here:
            return
        known = _loaded()
        kept = known if len(known) <= MOST_KEPT else {key: known[key] for key in _used if key in known}
        _compiled_here = False
    disk_cache.store(KIND, KEY, kept)


def _loaded() -> dict[tuple[str, int], tuple[Any, ...]]:
    global _known
    if _known is None:
        stored = disk_cache.load(KIND, KEY)
        _known = stored if isinstance(stored, dict) else {}
    return _known


def _engine_code(pattern: str, flags: int) -> tuple[Any, ...]:
    """What ``re._compiler.compile`` hands ``_sre.compile`` after the pattern (CPython 3.11 to 3.13)."""
    parsed = re._parser.parse(pattern, flags)  # type: ignore[attr-defined]
    code = [int(word) for word in re._compiler._code(parsed, flags)]  # type: ignore[attr-defined]  # opcodes: named ints
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
