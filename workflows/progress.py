"""The Markdown the Temporal UI shows as a run's current details."""

from __future__ import annotations

from collections.abc import Sequence

from orchestra.record import ExecutionRecord, StepRecord, StepState

MAX_ROWS = 40
ICON = {
    StepState.PENDING: "·", StepState.CALLING_TOOL: "▶", StepState.COMPLETED: "✔", StepState.ERROR: "✖",
    StepState.SKIPPED: "↷", StepState.CANCELLED: "⊘", StepState.THINKING: "…", StepState.REFLECTING: "…",
}  # fmt: skip


def render_details(record: ExecutionRecord, rows: Sequence[StepRecord] | None = None) -> str:
    """``rows``: the steps to list (a large plan's running, latest failed and latest finished ones);
    default: the record's steps, running and failed ones first."""
    m = record.metrics
    head = (
        f"**{record.plan_name}** — **{record.state.value.upper()}**"
        f"{' (paused: ' + (record.pause_reason or 'by request') + ')' if record.paused else ''}\n\n"
        f"{m.completed}/{m.total_steps} done · {m.running} running · {m.failed} failed · "
        f"{m.skipped} skipped · {m.retry_count} retries\n\n"
    )
    if rows is None:
        # Running and failed steps first: on a big plan they are what a person looks for.
        order = {StepState.CALLING_TOOL: 0, StepState.ERROR: 1}
        rows = sorted(record.steps, key=lambda s: order.get(s.state, 2))[:MAX_ROWS]
    table = ["| step | tool | state | attempts | ms |", "|---|---|---|---|---|"]
    for s in rows:
        ms = f"{s.duration_ms:.0f}" if s.duration_ms is not None else ""
        table.append(f"| {s.node_id} | {s.tool} | {ICON[s.state]} {s.state.value} | {s.attempts} | {ms} |")
    hidden = max(m.total_steps, len(record.steps)) - len(rows)
    more = f"\n\n… and {hidden} more" if hidden > 0 else ""
    return head + "\n".join(table) + more
