"""The bound on a step's arguments once run_tool resolves their references to outputs stored outside the history.

The workflow sends such a call with its references unresolved (workflows/tool_calls.sendable_call): what it sends
fits the value limit, but each reference becomes the value it names, and a plan of 50 MiB holds millions of
``${a.output}``. Nothing bounded the result: 300 references to a 1 MB output took 4.5 s and 600 MB only to be
measured for the log line, and every worker that took the step on, retried, died. Now what the references add is
counted as they are resolved, each value many references share measured once, and resolving stops at the bound;
before any output is read, the references that take a stored output whole count at the size it was stored with, so
a step far over the bound reads nothing.

The default, 256 MiB, is five of the largest values a run stores (ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES, 50 MiB) in
one call, a tool taking two 30 MB outputs with room to spare, while one call's arguments, which a tool writes out
again at least once (a request's body, a child's input), stay within what a worker's memory holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic_core import to_json

from orchestra import environment
from orchestra.payload_bytes import ENVELOPE_BYTES
from orchestra.references import REFERENCE, ReferenceError_, alternatives
from orchestra.storage.stored import StoredValue

SETTING = "ORCHESTRA_MAX_RESOLVED_ARGS_BYTES"
DEFAULT_MAX_RESOLVED_ARGS_BYTES = 256 * 1024 * 1024


def max_resolved_args_bytes(env: Mapping[str, str] | None = None) -> int:
    """The worker's bound on one call's arguments with their references resolved (SETTING, checked at start)."""
    word = environment.value(SETTING, env)
    return int(word) if word is not None else DEFAULT_MAX_RESOLVED_ARGS_BYTES


class ResolvedTooLarge(ReferenceError_):
    """A step's arguments over the bound once resolved: the step fails, not retried (it would be again)."""

    def __init__(self, size: int, limit: int, how: str) -> None:
        super().__init__(
            f"its arguments with their references resolved are at least {size:,} bytes ({how}); {SETTING} is "
            f"{limit:,} bytes: reference a part of a large output rather than the whole, fewer times, or raise it"
        )
        self.size, self.limit = size, limit


class ResolvedBytes:
    """A running count of the JSON bytes of a call's arguments as references are resolved into them (``add``,
    references.resolve's ``taken``), raising ResolvedTooLarge as soon as it passes ``limit``. ``sent``: the
    bytes of the arguments as the workflow sent them, references unresolved."""

    def __init__(self, limit: int, sent: int) -> None:
        self.limit = limit
        self.total = sent
        # By id, with the value (so its id is not reused meanwhile): a value many references share is written once.
        self._sizes: dict[int, tuple[Any, int]] = {}
        self._check()

    def add(self, value: Any) -> None:
        self.total += self._size(value)
        self._check()

    def _size(self, value: Any) -> int:
        if isinstance(value, str) and len(value) < _SCANNED_CHARS and _written_as_is(value):
            return len(value) + 2
        known = self._sizes.get(id(value))
        if known is None or known[0] is not value:
            known = (value, len(to_json(value, fallback=str)))  # in Rust: a 50 MB output in tens of milliseconds
            self._sizes[id(value)] = known
        return known[1]

    def _check(self) -> None:
        if self.total > self.limit:
            raise ResolvedTooLarge(self.total, self.limit, "measured as they were resolved")


# A longer string is measured as any value (in Rust, once per object): scanning 50 MB in Python took 0.15 s a reference.
_SCANNED_CHARS = 4096


def _written_as_is(text: str) -> bool:
    """Whether JSON writes ``text`` as it is, between its quotes (each scan in C): a quote or a backslash is written
    in two characters, a control character in six, so counting such a string at its length let references to 30 MB
    of control characters write out six times the bound."""
    return text.isascii() and text.isprintable() and '"' not in text and "\\" not in text


def refuse_stored_over(args: Any, stored: Mapping[str, StoredValue], limit: int, sent: int) -> None:
    """ResolvedTooLarge when ``args`` (``sent`` bytes as the workflow sent them) with the references that take a
    stored output whole (``${a.output}``) would pass ``limit``, those counted at the sizes their outputs were
    stored with: before any is read back. A walk that stops as soon as it knows; a reference to a part of an
    output counts nothing here (resolving measures it)."""
    total = sent
    for text in _strings(args):
        whole = REFERENCE.fullmatch(text.strip())
        if whole is None:
            continue
        [*more, (root, path)] = alternatives(whole.group(1))
        if not more and path == ["output"] and root in stored:
            # What the store counts of a payload beyond its JSON is at most its envelope.
            total += max(stored[root].bytes - ENVELOPE_BYTES, 0)
            if total > limit:
                raise ResolvedTooLarge(total, limit, "the outputs it references whole, as they were stored")


def _strings(value: Any) -> Iterable[str]:
    """The strings among ``value``'s values (not its keys: a reference there is not resolved), depth first."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, Mapping):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
