"""The Markdown the Temporal UI shows as an agent run's current details, and one-line previews."""

from __future__ import annotations

from orchestra.agent.models import AgentExecution, AgentToolCall

RECENT = 5


def one_line(text: str | None, width: int = 120) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def call_line(call: AgentToolCall) -> str:
    outcome = call.error.message if call.error else call.result
    extra = f" (same as {call.duplicate_of})" if call.duplicate_of else ""
    return f"{call.tool}({one_line(call.arguments, 80)}) → {call.state.value}{extra}: {one_line(outcome, 100)}"


def render_details(record: AgentExecution, max_steps: int) -> str:
    t, m = record.totals, record.metrics
    paused = f" (paused: {record.pause_reason or 'by request'})" if record.paused else ""
    lines = [
        f"**agent** — **{record.state.value.upper()}**{paused} · step {record.step_count}/{max_steps}"
        f" · run {record.run_index + 1} of the chain",
        "",
        f"task: {one_line(record.task, 200)}",
        "",
        f"tokens: {t.total_tokens} (prompt {t.prompt_tokens}, completion {t.completion_tokens}, cached "
        f"{t.cached_tokens}, reasoning {t.reasoning_tokens}) · {m.tool_call_count} tool calls · "
        f"{m.error_count} errors · {m.retry_count} retries",
    ]
    waiting = record.waiting_approvals()
    if waiting:
        lines += ["", '**waiting for approval** (update `approve` or `reject` with {"call_id": ...}):']
        lines += [f"- `{c.call_id}`: {c.tool}({one_line(c.arguments, 200)})" for c in waiting]
    for step in record.steps[-RECENT:]:
        lines += ["", f"**step {step.number}** {step.state.value}: {one_line(step.thinking, 200) or '—'}"]
        lines += [f"- {call_line(c)}" for c in step.tool_calls]
        for note in (step.reflection, step.feedback):
            if note:
                lines.append(f"- (told the model: {one_line(note, 120)})")
    return "\n".join(lines)
