"""The Markdown the Web UI shows as a plan run's current details: a heading (plan, state, counts), the
step table with running and failed steps first, and how many more steps there are.

Refreshed on every wake-up of the run. A small plan's rows are picked from its steps (two passes); a
large plan's are picked by the run as its steps change (running, then the latest failed and finished:
orchestra/plan_steps.py) and the others counted from its metrics, so the work does not grow with the
plan."""

from __future__ import annotations

import shlex
from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import islice
from types import MappingProxyType

from orchestra.details import clock, code, error_line, escape, heading, table, text
from orchestra.record import QUERY_STEPS, ExecutionRecord, RunMetrics, StepRecord, StepState
from orchestra.text import STEP_ICON, duration, one_line, plural

MAX_ROWS = 40
MAX_GAP_LINES = 5
# On a big plan these are what a person looks for: listed first, running before failed.
FIRST = (StepState.CALLING_TOOL, StepState.ERROR)
LABEL: Mapping[StepState, str] = MappingProxyType({state: f"{STEP_ICON[state]} {state.value}" for state in StepState})
HEADERS = ("step", "tool", "state", "attempts", "duration", "error / reason")
RIGHT = (3, 4)
NOTE_WIDTH = 120


def render_details(record: ExecutionRecord, rows: Sequence[StepRecord] | None = None) -> str:
    """``rows``: the steps to list, picked by the run, the others counted from the metrics; default: picked
    from ``record.steps``."""
    chain = f" · run {len(record.runs)} of its continue-as-new chain" if len(record.runs) > 1 else ""
    lines = [heading(escape(one_line(record.plan_name)), record), "", counts(record.metrics) + chain]
    if record.task:
        lines += ["", f"task: {text(record.task, 300)}"]
    if record.error:
        lines += ["", error_line(record.error)]
    if waiting := record.undos_waiting_text():
        run = shlex.quote(record.id)  # pasted into a shell
        go_on = (
            f"{code(f'python client.py resume {run}', 300)} runs them; {code(f'python client.py cancel {run}', 300)}"
        )
        lines += ["", f"⏸ {text(waiting, 600)}: {go_on} leaves them not undone (the record says which)"]
    if record.undo_gaps:  # said by status under "not all undone": the Web UI said nothing of it
        lines += ["", *gap_lines(record)]
    if rows is None:
        if not record.steps:
            return "\n".join(lines)
        shown, hidden = rows_to_show(record.steps, MAX_ROWS)
    else:
        shown, hidden = list(rows), not_shown(record.metrics, rows)
    if shown:
        lines += ["", *table(HEADERS, [row(step) for step in shown], RIGHT)]
    if hidden:
        by_state = ", ".join(f"{n} {state.value}" for state in StepState if (n := hidden[state]))
        status = code(f"python client.py status {shlex.quote(record.id)}", 300)  # pasted into a shell
        # Past the record query's bound it does not: said as it is (the Web UI promised every step).
        lists = (
            "every step"
            if record.metrics.total_steps <= QUERY_STEPS
            else (
                f"the first in plan order, at most {QUERY_STEPS:,} of a running run's own, and those running or failed"
            )
        )
        lines += ["", f"… and {plural(sum(hidden.values()), 'more step')} ({by_state}): {status} lists {lists}"]
    return "\n".join(lines)


def gap_lines(record: ExecutionRecord) -> list[str]:
    """What the compensation of a failed run left not undone, or undid without a record of how, and why."""
    gaps = record.undo_gaps
    # The last noted says how the compensation ended (a cancel stopped it, its budget ran out), and the record keeps
    # it whatever its cap: shown last, after the first, as status shows it (the first five alone hid it).
    shown = gaps if len(gaps) <= MAX_GAP_LINES else [*gaps[: MAX_GAP_LINES - 1], gaps[-1]]
    lines = ["⚠ not all undone:"]
    lines += [f"- {gap.heading(code)}: {text(gap.reason, 300)}" for gap in shown[:-1]]
    more = len(gaps) - len(shown) + record.undo_gaps_dropped
    if more > 0:
        lines.append(f"- and {plural(more, 'more gap')}")
    lines.append(f"- {shown[-1].heading(code)}: {text(shown[-1].reason, 300)}")
    return lines


def counts(m: RunMetrics) -> str:
    if not m.total_steps:
        return "validating the plan"
    others = ((m.running, "running"), (m.failed, "failed"), (m.skipped, "skipped"), (m.cancelled, "cancelled"),
              (m.pending, "pending"))  # fmt: skip
    parts = [f"{m.completed:,} of {plural(m.total_steps, 'step')} done", *(f"{n:,} {what}" for n, what in others if n)]
    if m.retry_count:
        parts.append(plural(m.retry_count, "retry", "retries"))
    return " · ".join(parts)


def rows_to_show(steps: Sequence[StepRecord], limit: int) -> tuple[list[StepRecord], Counter[StepState]]:
    """Up to ``limit`` steps, running and failed first, the others in plan order; and how many of each
    state are left out."""
    first = sorted((s for s in steps if s.state in FIRST), key=lambda s: FIRST.index(s.state))
    shown = first[:limit]
    if len(shown) < limit:
        shown += islice((s for s in steps if s.state not in FIRST), limit - len(shown))
    hidden = Counter(s.state for s in steps)
    hidden.subtract(s.state for s in shown)
    return shown, +hidden


def not_shown(m: RunMetrics, rows: Sequence[StepRecord]) -> Counter[StepState]:
    """How many steps of each state ``rows`` leave out, from the metrics."""
    hidden = Counter({StepState.CALLING_TOOL: m.running, StepState.ERROR: m.failed, StepState.COMPLETED: m.completed,
                      StepState.SKIPPED: m.skipped, StepState.CANCELLED: m.cancelled, StepState.PENDING: m.pending})  # fmt: skip
    hidden.subtract(s.state for s in rows)
    return +hidden


def row(step: StepRecord) -> list[str]:
    took = duration(step.duration_ms)
    if not took and step.state == StepState.CALLING_TOOL:
        began = step.started_at or step.scheduled_at
        took = f"since {clock(began)}" if began else ""
    return [code(step.node_id), code(step.tool), LABEL[step.state],
            str(step.attempts) if step.attempts else "", took, note(step)]  # fmt: skip


def note(step: StepRecord) -> str:
    """Why a step failed or did not run (short), or which tools it fell back from."""
    if step.error is not None:
        return f"{step.error.type.value}: {text(step.error.message, NOTE_WIDTH)}"
    if step.skip_reason:
        return text(step.skip_reason, NOTE_WIDTH)
    if step.fallback_from:
        tools = ", ".join(entry.split(":", 1)[0] for entry in step.fallback_from)
        return text(f"after falling back from {tools}", NOTE_WIDTH)
    return ""
