"""Words and numbers as every view of a run writes them: plurals, durations with their units, one-line
previews, the icons of step and run states. One module for the Web UI's current details (workflow code:
pure and deterministic) and the CLI, so a run reads the same wherever it is shown."""

from __future__ import annotations

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
# What a terminal would act on rather than show (escape sequences, bells, backspaces, C1 controls): a
# run's words come from plans, tools, servers and models, and the CLI writes them to an operator's screen.
TERMINAL_CONTROLS = {code: None for code in (*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))}


def printable(text: str) -> str:
    """``text`` without what a terminal would act on; newlines and tabs stay."""
    return text.translate(TERMINAL_CONTROLS)


def plural(count: int, word: str, words: str | None = None) -> str:
    """``1 step``, ``2 steps``; ``words`` for an irregular plural (``retry``, ``retries``)."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def one_line(text: str | None, width: int | None = None) -> str:
    """``text`` on one line (runs of whitespace, newlines included, become one space), cut to ``width``
    characters with an ellipsis marking the cut; whole when ``width`` is None. Control characters go."""
    flat = printable(" ".join((text or "").split()))  # a terminal escape in a name someone else wrote
    if width is None or len(flat) <= width:
        return flat
    return flat[: max(width - 1, 0)] + ELLIPSIS


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
