"""The record's derived numbers (metrics, totals), keeping what it carries bounded, and the export.

A chain of runs can be thousands of steps long, but what a run hands to the next one (the
continue-as-new input), returns, or attaches to its failure must stay far below Temporal's 2 MB payload
limit. So those payloads list only the latest steps, with long texts cut to previews; the older steps
survive as sums (``earlier``: tokens, calls, errors, retries, time) and in the index of the chain's runs
(``runs``: each run's id and step numbers). Nothing is lost: every step is whole in the event history of
the run that ran it, and `trajectory ID` reads it back from there (orchestra/cli/agent_chain.py).

Deterministic (the workflow calls it): sizes are measured on the JSON the payload converter writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel

from orchestra.agent.context import CHARS_PER_TOKEN, fit, truncate_output
from orchestra.agent.models import AgentExecution, AgentMetrics, AgentStep, AgentToolCall, Carry, StepTotals
from orchestra.control import ControlState
from orchestra.errors import ExecutionError
from orchestra.llm.types import FunctionCall, Message
from orchestra.record import StepState

TRAJECTORY_FORMAT = "orchestra.agent.trajectory/2"
PAYLOAD_BUDGET_BYTES = 256 * 1024  # the carry, the result and the failure record each stay below this
MODEL_CHARS = 200  # of the record's model name, however little of each step's texts is kept (the LLM client's cut)
RECENT_STEPS = 20  # steps listed in the carry (with previews); older ones only count in ``earlier``
PREVIEW_CHARS = 600
MAX_RUNS_LISTED = 200  # entries of ``runs`` carried; older ones only count in ``runs_omitted``
PINNED = 2  # the system prompt and the task open every conversation


def payload_bytes(value: BaseModel) -> int:
    return len(value.model_dump_json().encode())


def tally(steps: Iterable[AgentStep]) -> StepTotals:
    """The sums over ``steps`` that the metrics are made of."""
    t = StepTotals()
    for s in steps:
        t.steps += 1
        t.usage = t.usage.add(s.usage)
        t.llm_attempts += s.llm_attempts
        t.retries += max(0, s.llm_attempts - 1)
        t.errors += 1 if s.error else 0
        if s.duration_ms is not None:
            t.timed_steps += 1
            t.duration_ms += s.duration_ms
        t.nudges += 1 if s.feedback and not s.completion.indicated else 0
        t.unverified_claims += 1 if s.completion.indicated and not s.completion.verified else 0
        for c in s.tool_calls:
            if c.duplicate_of is not None:
                t.duplicate_calls += 1
            elif c.attempts > 0:
                t.tool_calls += 1
                t.retries += c.attempts - 1
            t.errors += 1 if c.state == StepState.ERROR else 0
    return t


def refresh(record: AgentExecution) -> None:
    t = record.earlier.plus(tally(record.steps))
    record.totals = t.usage
    record.metrics = AgentMetrics(
        steps=t.steps,
        llm_call_count=t.llm_attempts,
        tool_call_count=t.tool_calls,
        duplicate_calls=t.duplicate_calls,
        error_count=t.errors,
        retry_count=t.retries,
        average_step_ms=t.duration_ms / t.timed_steps if t.timed_steps else 0.0,
        cache_hit_rate=t.usage.cached_tokens / t.usage.prompt_tokens if t.usage.prompt_tokens else 0.0,
        nudges=t.nudges,
        unverified_claims=t.unverified_claims,
    )


def _cut(text: str | None, limit: int) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[:limit] + f" ...[{len(text) - limit} more characters in the run's history]"


def _cut_error(error: ExecutionError | None, limit: int) -> ExecutionError | None:
    if error is None:
        return None
    return error.model_copy(update={"message": _cut(error.message, limit) or "", "details": None})


def _cut_call(call: AgentToolCall, limit: int) -> AgentToolCall:
    approval = call.approval
    if approval is not None:
        approval = approval.model_copy(update={"reason": _cut(approval.reason, limit)})
    return call.model_copy(
        update={
            # The name the model called, a tool's or not: an unknown tool's 400 KB name, kept whole, left the
            # step too big at every level, and the run's first step was listed only in ``earlier``.
            "tool": _cut(call.tool, limit) or "",
            "arguments": _cut(call.arguments, limit) or "",
            "result": _cut(call.result, limit),
            "error": _cut_error(call.error, limit),
            "approval": approval,
        }
    )


def compact_step(step: AgentStep, limit: int) -> AgentStep:
    """The step with every text cut to ``limit`` characters (numbers, states and timings kept)."""
    return step.model_copy(
        update={
            "thinking": _cut(step.thinking, limit),
            "model": _cut(step.model, limit),  # an endpoint's words: a record kept before they were bounded
            "finish_reason": _cut(step.finish_reason, limit),
            "feedback": _cut(step.feedback, limit),
            "reflection": _cut(step.reflection, limit),
            "error": _cut_error(step.error, limit),
            "tool_calls": [_cut_call(c, limit) for c in step.tool_calls],
            "completion": step.completion.model_copy(
                update={"summary": _cut(step.completion.summary, limit), "reason": _cut(step.completion.reason, limit)}
            ),
        }
    )


def compact(record: AgentExecution, keep: int = RECENT_STEPS, preview: int = PREVIEW_CHARS) -> AgentExecution:
    """A copy listing only the latest ``keep`` steps, texts cut to ``preview`` characters; the older
    steps are added to ``earlier`` and the oldest runs beyond MAX_RUNS_LISTED to ``runs_omitted``."""
    cut = max(0, len(record.steps) - keep)
    runs_cut = max(0, len(record.runs) - MAX_RUNS_LISTED)
    return record.model_copy(
        update={
            "steps": [compact_step(s, preview) for s in record.steps[cut:]],
            "earlier": record.earlier.plus(tally(record.steps[:cut])),
            "model": _cut(record.model, max(preview, MODEL_CHARS)),
            "runs": [r.model_copy() for r in record.runs[runs_cut:]],
            "runs_omitted": record.runs_omitted + runs_cut,
        }
    )


def _levels() -> Iterator[tuple[int, int]]:
    """(steps listed, characters kept of each text), from the most detail to the least."""
    yield RECENT_STEPS, PREVIEW_CHARS
    yield min(RECENT_STEPS, 5), min(PREVIEW_CHARS, 200)
    yield min(RECENT_STEPS, 1), min(PREVIEW_CHARS, 80)
    yield 0, 0


def bounded(record: AgentExecution, budget: int = PAYLOAD_BUDGET_BYTES) -> AgentExecution:
    """The record to return or attach to a failure: whole when it fits ``budget``, else compacted until
    it does (or until only its fixed parts, such as the task, are left)."""
    if payload_bytes(record) <= budget:
        return record
    small = record
    for keep, preview in _levels():
        small = compact(record, keep, preview)
        if payload_bytes(small) <= budget:
            break
    return small


def _cut_message(message: Message, chars: int) -> Message:
    content = message.content
    if content is not None and len(content) > chars:
        content = truncate_output(content, max(chars // CHARS_PER_TOKEN, 16))[0]
    calls = message.tool_calls
    if calls:
        calls = [
            c if len(c.function.arguments) <= chars
            else c.model_copy(update={"function": FunctionCall(
                name=c.function.name, arguments=json.dumps({"truncated": c.function.arguments[:chars]}))})
            for c in calls
        ]  # fmt: skip
    return message.model_copy(update={"content": content, "tool_calls": calls})


def carry_for(
    conversation: list[Message],
    record: AgentExecution,
    control: ControlState,
    context_tokens: int,
    budget: int = PAYLOAD_BUDGET_BYTES,
) -> tuple[Carry, int]:
    """What a run hands to the next one, and its size in bytes: within ``budget`` whatever the number of
    steps. Detail goes in this order until it fits: the listed steps' texts and number, then the older
    turns of the conversation (the system prompt, the task and the latest turn stay), and last the texts
    of the latest turn. Only a system prompt and task larger than the budget themselves leave it over."""

    def made(messages: list[Message], keep: int, preview: int) -> tuple[Carry, int]:
        carry = Carry(conversation=messages, record=compact(record, keep, preview), control=control)
        return carry, payload_bytes(carry)

    messages, _ = fit(conversation, context_tokens, PINNED)
    for keep, preview in _levels():
        carry, size = made(messages, keep, preview)
        if size <= budget:
            return carry, size
    tokens = context_tokens
    while tokens > 64:
        tokens //= 2
        messages, _ = fit(conversation, tokens, PINNED)
        carry, size = made(messages, 0, 0)
        if size <= budget:
            return carry, size
    head, rest = messages[:PINNED], messages[PINNED:]
    _, fixed = made(head, 0, 0)
    chars = max((budget - fixed) // (2 * (len(rest) + 1)), 64)  # JSON escaping may double a text
    return made([*head, *(_cut_message(m, chars) for m in rest)], 0, 0)


def export(record: AgentExecution) -> dict[str, Any]:
    """The trajectory as JSON-ready data: every listed step's text, calls, results, timing and tokens
    (give it the whole record of the chain, as orchestra/cli/agent_chain.py rebuilds it)."""
    return {"format": TRAJECTORY_FORMAT, **record.model_dump(mode="json")}
