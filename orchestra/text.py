"""Words and numbers as every view of a run writes them: plurals, durations with their units, one-line
previews, the icons of step and run states. One module for the Web UI's current details (workflow code:
pure and deterministic) and the CLI, so a run reads the same wherever it is shown."""

from __future__ import annotations

import re
from collections.abc import Iterable

# By the states' values (StepState and AgentState are StrEnums, equal to their values): the CLI reads
# this module at start-up, and importing the record would bring Temporal's SDK into every command.
STEP_ICON = {
    "pending": "·", "thinking": "…", "reflecting": "…", "calling_tool": "▶",
    "completed": "✔", "error": "✖", "skipped": "↷", "cancelled": "⊘",
}  # fmt: skip
RUN_ICON = {
    "idle": "·", "initializing": "…", "running": "▶", "paused": "⏸",
    "completed": "✔", "error": "✖", "cancelled": "⊘",
}  # fmt: skip
ELLIPSIS = "…"
# What a screen shows as nothing, or uses to reorder what it shows: Unicode's format characters (category
# Cf: bidi overrides and isolates, which "Trojan source" uses to show a name reversed, zero-width spaces and
# joiners, the invisible tag characters that smuggle text to a model), the line and paragraph separators, and
# the Hangul fillers that draw as blanks. Each is shown as its escape (``\u202e``), so an operator sees it is
# there; half a surrogate pair too, which no stream can write. Listed, not computed, so that importing this
# module stays instant; tests/test_text.py checks the list against the running Python's Unicode data.
INVISIBLE_RANGES = (
    (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891),
    (0x08E2, 0x08E2), (0x115F, 0x1160), (0x180E, 0x180E), (0x200B, 0x200F), (0x2028, 0x202E), (0x2060, 0x2064),
    (0x2066, 0x206F), (0x3164, 0x3164), (0xD800, 0xDFFF), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)  # fmt: skip


def escape(code: int) -> str:
    """A character as Python and JSON write it escaped: ``\\u202e``; beyond the BMP as JSON reads it, a
    surrogate pair (``\\udb40\\udc01``), which Python's ``\\U000e0001`` would not be in ``--json``."""
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


INVISIBLE = {code: escape(code) for first, last in INVISIBLE_RANGES for code in range(first, last + 1)}
# What a terminal would act on rather than show (escape sequences, bells, backspaces, C1 controls): a
# run's words come from plans, tools, servers and models, and the CLI writes them to an operator's screen.
# Each is shown as its escape, never dropped: a secret masked where it stood whole is not masked where a
# control splits it, and dropping the control joined it again on the screen (an endpoint echoing its key
# as ``sk-…\x1b…`` showed the key whole in `status`, the Web UI and the worker's log). A carriage return
# is a space: CRLF text stays readable, and a line is not overwritten.
TERMINAL_CONTROLS = {code: escape(code) for code in (*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))}
TERMINAL_CONTROLS[0x0D] = " "
VISIBLE = {**TERMINAL_CONTROLS, **INVISIBLE}
_ESCAPE = re.compile(r"\\ud[89ab][0-9a-f]{2}\\ud[c-f][0-9a-f]{2}|\\u[0-9a-f]{4}")


def printable(text: str) -> str:
    """``text`` as a screen may show it: what a terminal would act on, and what it would show as nothing (or
    reorder), escaped; newlines and tabs stay, a carriage return is a space."""
    return text.translate(VISIBLE)


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` naming the candidate nearest to a name nobody knows, or nothing."""
    import difflib

    close = difflib.get_close_matches(name, list(candidates), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def plural(count: int, word: str, words: str | None = None) -> str:
    """``1 step``, ``2 steps``; ``words`` for an irregular plural (``retry``, ``retries``)."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def one_line(text: str | None, width: int | None = None) -> str:
    """``text`` on one line (runs of whitespace, newlines included, become one space), cut to ``width``
    characters with an ellipsis marking the cut; whole when ``width`` is None. Control and invisible
    characters are escaped (``printable``)."""
    flat = printable(" ".join((text or "").split()))  # a terminal escape in a name someone else wrote
    return flat if width is None else cut_escaped(flat, width)


def cut_escaped(text: str, width: int) -> str:
    """``text`` (its characters already escaped) whole when within ``width`` characters, else cut to
    ``width`` with an ellipsis marking the cut, before any escape the cut would split: an escape, a surrogate
    pair's two too, is shown whole or not at all (half of one, ``\\u00``, read as a broken escape)."""
    if len(text) <= width:
        return text
    cut = max(width - 1, 0)
    for escaped in _ESCAPE.finditer(text, max(cut - len(r"\ud800\udc00"), 0), cut + len(r"\udc00")):
        if escaped.start() < cut < escaped.end():
            cut = escaped.start()
            break
    return text[:cut] + ELLIPSIS


def duration(ms: float | None) -> str:
    """A duration with its unit, as precise as a person reads it: ``850 ms``, ``12.3 s``, ``2 min 5 s``,
    ``1 h 2 min``, ``3 d 4 h``; empty when unknown."""
    if ms is None:
        return ""
    if ms < 999.5:
        return f"{max(ms, 0):.0f} ms"
    if ms < 59_950:
        return f"{ms / 1000:.1f} s"
    seconds = round(ms / 1000)
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60} s"
    if seconds < 86_400:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    return f"{seconds // 86_400} d {seconds % 86_400 // 3600} h"
