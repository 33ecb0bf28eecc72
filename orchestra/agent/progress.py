"""The Markdown the Temporal UI shows as an agent run's current details (a heading, the task, token and
call counts, calls waiting for approval, then the latest steps and their tool calls), and the one-line
preview of a call the CLI prints."""

from __future__ import annotations

import shlex

from orchestra.agent.models import AgentExecution, AgentStep, AgentToolCall
from orchestra.details import code, error_line, heading, table, text
from orchestra.record import StepState
from orchestra.shown_ids import named
from orchestra.text import STEP_ICON, duration, one_line, plural

RECENT = 5  # steps listed
MAX_CALLS = 20  # tool calls listed (of those steps; running and failed first)
CALL_FIRST = (StepState.CALLING_TOOL, StepState.ERROR)
STEP_HEADERS = ("step", "state", "duration", "tokens", "model said")
CALL_HEADERS = ("step", "tool", "state", "attempts", "duration", "arguments → result / error")


def call_line(call: AgentToolCall) -> str:
    outcome = call.error.message if call.error else call.result
    extra = f" (same as {call.duplicate_of})" if call.duplicate_of else ""
    return f"{one_line(named(call.tool))}({one_line(call.arguments, 80)}) → {call.state.value}{extra}: {one_line(outcome, 100)}"


def render_details(record: AgentExecution, max_steps: int) -> str:
    t, m = record.totals, record.metrics
    facts = [f"step {record.step_count:,} of {max_steps:,}"]
    if record.run_index:
        facts.append(f"run {record.run_index + 1} of its continue-as-new chain")
    lines = [heading("agent", record, *facts), "", f"task: {text(record.task, 300)}", ""]
    lines.append(
        f"{plural(t.total_tokens, 'token')} (prompt {t.prompt_tokens:,}, completion {t.completion_tokens:,}, cached "
        f"{t.cached_tokens:,}, reasoning {t.reasoning_tokens:,}) · {plural(m.tool_call_count, 'tool call')} · "
        f"{plural(m.error_count, 'error')} · {plural(m.retry_count, 'retry', 'retries')}"
    )
    if record.error:
        lines += ["", error_line(record.error)]
    waiting = record.waiting_approvals()
    if waiting:
        lines += ["", '**waiting for approval** (update `approve` or `reject` with {"call\\_id": ...}):', ""]
        lines += [f"- {code(c.call_id)}: {code(c.tool)}({text(c.arguments, 200)})" for c in waiting]
    recent = record.steps[-RECENT:]
    if recent:
        lines += ["", *table(STEP_HEADERS, [step_row(s) for s in reversed(recent)], right=(0, 2, 3))]
    calls = [(s.number, c) for s in reversed(recent) for c in s.tool_calls]
    if calls:
        calls.sort(key=lambda nc: CALL_FIRST.index(nc[1].state) if nc[1].state in CALL_FIRST else len(CALL_FIRST))
        lines += ["", *table(CALL_HEADERS, [call_row(n, c) for n, c in calls[:MAX_CALLS]], right=(0, 3, 4))]
        if len(calls) > MAX_CALLS:
            lines += ["", f"… and {plural(len(calls) - MAX_CALLS, 'more call')} in these steps"]
    if record.earlier.steps:
        trajectory = code(f"python client.py trajectory {shlex.quote(record.id)}", 300)  # pasted into a shell
        lines += ["", f"{plural(record.earlier.steps, 'earlier step')} not listed: {trajectory} lists every step"]
    return "\n".join(lines)


def step_row(step: AgentStep) -> list[str]:
    said = text(step.thinking, 150) or "—"
    for note in (step.reflection, step.feedback):
        if note:
            said += f" (told the model: {text(note, 100)})"
    if step.error is not None:
        said += f" — {step.error.type.value}: {text(step.error.message, 120)}"
    tokens = f"{step.usage.total_tokens:,}" if step.usage.total_tokens else ""
    return [str(step.number), f"{STEP_ICON[step.state]} {step.state.value}", duration(step.duration_ms), tokens, said]


def call_row(number: int, call: AgentToolCall) -> list[str]:
    outcome = f"{call.error.type.value}: {call.error.message}" if call.error else (call.result or "")
    if call.duplicate_of:
        outcome = f"same as {call.duplicate_of}"
    state = f"{STEP_ICON[call.state]} {call.state.value}"
    if call.approval is not None:
        state += f" ({call.approval.status.value.replace('_', ' ')})"
    said = text(call.arguments, 80) + (f" → {text(outcome, 100)}" if outcome else "")
    return [str(number), code(call.tool, 60), state, str(call.attempts) if call.attempts else "",
            duration(call.duration_ms), said]  # fmt: skip
