"""Words and numbers as every view of a run writes them: plurals, durations with their units, one-line
previews, the icons of step and run states. One module for the Web UI's current details (workflow code:
pure and deterministic) and the CLI, so a run reads the same wherever it is shown."""

from __future__ import annotations

from orchestra.record import AgentState, StepState

STEP_ICON = {
    StepState.PENDING: "·", StepState.THINKING: "…", StepState.REFLECTING: "…", StepState.CALLING_TOOL: "▶",
    StepState.COMPLETED: "✔", StepState.ERROR: "✖", StepState.SKIPPED: "↷", StepState.CANCELLED: "⊘",
}  # fmt: skip
RUN_ICON = {
    AgentState.IDLE: "·", AgentState.INITIALIZING: "…", AgentState.RUNNING: "▶", AgentState.PAUSED: "⏸",
    AgentState.COMPLETED: "✔", AgentState.ERROR: "✖", AgentState.CANCELLED: "⊘",
}  # fmt: skip
ELLIPSIS = "…"


def plural(count: int, word: str, words: str | None = None) -> str:
    """``1 step``, ``2 steps``; ``words`` for an irregular plural (``retry``, ``retries``)."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def one_line(text: str | None, width: int | None = None) -> str:
    """``text`` on one line (runs of whitespace, newlines included, become one space), cut to ``width``
    characters with an ellipsis marking the cut; whole when ``width`` is None."""
    flat = " ".join((text or "").split())
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
