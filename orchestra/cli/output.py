"""Rendering for people: plain-text tables, the execution record, one progress line per change."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TextIO

from orchestra.record import FINISHED_RUN_STATES, AgentState, ExecutionRecord, StepRecord, StepState

ICON = {
    StepState.PENDING: "·", StepState.THINKING: "…", StepState.REFLECTING: "…", StepState.CALLING_TOOL: "▶",
    StepState.COMPLETED: "✔", StepState.ERROR: "✖", StepState.SKIPPED: "↷", StepState.CANCELLED: "⊘",
}  # fmt: skip
RUN_ICON = {AgentState.PAUSED: "⏸", AgentState.COMPLETED: "✔", AgentState.ERROR: "✖", AgentState.CANCELLED: "⊘"}
NATIVE_PAUSE = "PAUSED (native Temporal pause)"


def one_line(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: max(width - 1, 0)] + "…"


def preview(value: Any, width: int = 60) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)
    return one_line(text, width)


def ms(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.0f} ms" if value < 10_000 else f"{value / 1000:.1f} s"


def clock(value: datetime | None) -> str:
    """Time of day with milliseconds (UTC): enough to compare steps of one run."""
    return value.strftime("%H:%M:%S.%f")[:-3] if value else ""


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], max_width: int | None = None) -> str:
    """A plain table; the last column is cut so a row fits the terminal."""
    if max_width is None:
        # On a terminal, fit its width; into a pipe or file, keep more of each row.
        max_width = max(shutil.get_terminal_size((120, 24)).columns, 80) if sys.stdout.isatty() else 200
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    fixed = sum(widths[:-1]) + 2 * (len(widths) - 1)
    widths[-1] = max(min(widths[-1], max_width - fixed), len(headers[-1]))

    def line(cells: Sequence[str]) -> str:
        cut = [*cells[:-1], one_line(cells[-1], widths[-1])]
        return "  ".join(c.ljust(w) for c, w in zip(cut, widths, strict=True)).rstrip()

    return "\n".join([line(headers), line(["─" * w for w in widths]), *(line(r) for r in rows)])


def step_detail(step: StepRecord) -> str:
    if step.state == StepState.COMPLETED:
        return preview(step.output, 100)
    if step.error is not None:
        return f"{step.error.type.value}: {one_line(step.error.message, 200)}"
    return step.skip_reason or ""


def step_table(record: ExecutionRecord) -> str:
    rows = [
        [
            s.node_id,
            s.tool,
            f"{ICON[s.state]} {s.state.value}",
            str(s.attempts) if s.attempts else "",
            ms(s.duration_ms),
            step_detail(s),
        ]
        for s in record.steps
    ]
    return table(["step", "tool", "state", "attempts", "duration", "output / error"], rows)


def render_record(record: ExecutionRecord, *, status: str | None = None, native_pause: bool = False) -> str:
    """The record as the `run`, `status` and `result` commands print it."""
    state = NATIVE_PAUSE if native_pause else record.state.value.upper()
    if record.state == AgentState.PAUSED and not native_pause:
        state += f" (cooperative: {record.pause_reason or 'no reason given'})"
    lines = [f"plan {record.plan_name}  ·  workflow {record.id}", f"state {state}"]
    if status and status.lower() != record.state.value and not native_pause:
        lines[-1] += f"  ·  Temporal status {status}"
    if record.execution_time_ms is not None:
        lines[-1] += f"  ·  {ms(record.execution_time_ms)}"
    if record.task:
        lines.append(f"task: {record.task}")
    lines += ["", step_table(record) if record.steps else "(no steps yet)", ""]
    m = record.metrics
    lines.append(
        f"{m.completed}/{m.total_steps} completed · {m.failed} failed · {m.skipped} skipped · "
        f"{m.cancelled} cancelled · {m.running} running · {m.retry_count} retries"
    )
    if record.error is not None:
        lines.append(f"error: {record.error.type.value}: {record.error.message}")
    return "\n".join(lines)


class Progress:
    """Prints one line each time a step or the run changes state (fed successive records)."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream
        self.steps: dict[str, StepState] = {}
        self.run_state: str | None = None

    def _print(self, text: str) -> None:
        if self.stream is not None:
            print(text, file=self.stream, flush=True)

    def update(self, record: ExecutionRecord, *, native_pause: bool = False) -> None:
        run_state = NATIVE_PAUSE if native_pause else record.state.value
        changed = run_state != self.run_state
        self.run_state = run_state
        # The run's last line comes after its steps' last lines.
        if changed and record.state not in FINISHED_RUN_STATES:
            self._print(self.run_line(record, native_pause))
        for step in record.steps:
            if self.steps.get(step.node_id, StepState.PENDING) != step.state:
                self.steps[step.node_id] = step.state
                self._print(self.step_line(step))
        if changed and record.state in FINISHED_RUN_STATES:
            self._print(self.run_line(record, native_pause))

    @staticmethod
    def run_line(record: ExecutionRecord, native_pause: bool) -> str:
        if native_pause:
            return f"⏸ run {NATIVE_PAUSE}"
        icon = RUN_ICON.get(record.state, "●")
        text = f"{icon} run {record.state.value.upper()}"
        if record.state == AgentState.PAUSED:
            text += f" ({record.pause_reason or 'cooperative pause'}: running steps finish, no new step starts)"
        elif record.execution_time_ms is not None:
            text += f" in {ms(record.execution_time_ms)}"
        return text

    @staticmethod
    def step_line(step: StepRecord) -> str:
        head = f"  {ICON[step.state]} {step.node_id}"
        if step.state == StepState.CALLING_TOOL:
            return f"{head} ({step.tool}) {step.state.value}"
        if step.state == StepState.COMPLETED:
            retries = f" after {step.attempts} attempts" if step.attempts > 1 else ""
            return f"{head} {ms(step.duration_ms)}{retries}".rstrip()
        if step.error is not None:
            return f"{head} {step.error.type.value}: {one_line(step.error.message, 160)}"
        return f"{head} {step.state.value}{': ' + step.skip_reason if step.skip_reason else ''}"
