"""The Markdown pieces of a run's current details, the panel the Web UI shows: a heading with the run's
state, text escaped so that no step error, plan name or model reply can break the layout or slip in a
link or an image, and tables whose columns line up in the raw text too. Plan runs
(workflows/progress.py) and agent runs (orchestra/agent/progress.py) build their details from these.

Workflow code calls them on every wake-up: they are pure, deterministic, and linear in what they are
given (callers pass only the rows they show).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import datetime

from orchestra.errors import ExecutionError
from orchestra.record import RunRecord
from orchestra.text import RUN_ICON, duration, one_line, plural

# Characters that start Markdown emphasis, code, links, images, HTML, table cells or headings.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~!])")
# Fits in a code span as it is: printable ASCII but the backtick (a name with other characters, which may
# be invisible or reorder the line, is made printable first).
_PLAIN_NAME = re.compile(r"[!-_a-~]+")


def escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def text(value: str | None, width: int | None = None) -> str:
    """Free text (an error, a reason, a model reply) on one line, cut to ``width`` with an ellipsis, escaped."""
    return escape(one_line(value, width))


def code(name: str, width: int = 80) -> str:
    """A name (step id, tool, call id) in a code span; a name that could close the span is escaped instead."""
    if len(name) <= width and _PLAIN_NAME.fullmatch(name):  # validated ids and tool names: the usual case
        return f"`{name}`"
    flat = one_line(name, width)
    return escape(flat) if "`" in flat or not flat else f"`{flat}`"


def clock(value: datetime | None) -> str:
    return f"{value:%H:%M:%S} UTC" if value else ""


def heading(title: str, record: RunRecord, *facts: str) -> str:
    """``**title** · ▶ **RUNNING** · fact · …``: the run's state and icon, why and since when it is paused,
    how long it took once it ended, the signals it refused. ``title`` is Markdown already (escaped by the
    caller)."""
    state = f"{RUN_ICON[record.state]} **{record.state.value.upper()}**"
    if record.paused:
        since = f", since {clock(record.paused_at)}" if record.paused_at else ""
        state += f" ({text(record.pause_reason, 200) or 'no reason given'}{since}: nothing new starts until resume)"
    parts = [f"**{title}**", state, *facts]
    if record.execution_time_ms is not None:
        parts.append(f"took {duration(record.execution_time_ms)}")
    if record.refused_signals:  # orchestra.signal_refusal: the last one, and why
        last = record.refused_signals[-1]
        count = plural(len(record.refused_signals), "signal")
        parts.append(f"{count} refused (the last, {code(last.signal)}: {text(last.reason, 200)})")
    return " · ".join(parts)


def error_line(error: ExecutionError) -> str:
    return f"**error** ({error.type.value}): {text(error.message, 300)}"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Collection[int] = ()) -> list[str]:
    """The lines of a Markdown table. Cells are padded so that columns line up in the raw text as well as
    in the rendered table (the last column is not: it holds the longest texts); columns whose index is in
    ``right`` (numbers, durations) are right-aligned."""
    last = len(headers) - 1
    widths = [max(3, len(header), *(len(row[i]) for row in rows)) for i, header in enumerate(headers[:last])]
    widths.append(max(3, len(headers[last])))
    line = "| " + " | ".join(f"{{:{'>' if i in right else '<'}{w}}}" for i, w in enumerate(widths[:last])) + " | {} |"
    rule = ["-" * (w - 1) + ":" if i in right else ":" + "-" * (w - 1) for i, w in enumerate(widths)]
    return [line.format(*headers), line.format(*rule), *(line.format(*row) for row in rows)]
