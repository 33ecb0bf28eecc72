"""The record's derived numbers (metrics, totals), its compaction for continue-as-new, and the export.

Steps of earlier runs travel in the continue-as-new input, compacted: long texts are cut to previews
(the full texts stay in each run's own event history), and very old steps keep only their numbers, so
the carried record stays far below Temporal's payload limit even after thousands of steps.
"""

from __future__ import annotations

from typing import Any

from orchestra.agent.models import AgentExecution, AgentMetrics, AgentStep, TokenUsage
from orchestra.record import StepState

TRAJECTORY_FORMAT = "orchestra.agent.trajectory/1"
PREVIEW_CHARS = 600
RECENT_STEPS = 200  # carried with previews; older steps keep only their numbers and call names


def refresh(record: AgentExecution) -> None:
    totals = TokenUsage()
    for step in record.steps:
        totals = totals.add(step.usage)
    calls = [c for s in record.steps for c in s.tool_calls]
    ran = [c for c in calls if c.duplicate_of is None and c.attempts > 0]
    durations = [s.duration_ms for s in record.steps if s.duration_ms is not None]
    record.totals = totals
    record.metrics = AgentMetrics(
        steps=len(record.steps),
        llm_call_count=sum(s.llm_attempts for s in record.steps),
        tool_call_count=len(ran),
        duplicate_calls=sum(1 for c in calls if c.duplicate_of is not None),
        error_count=sum(1 for c in calls if c.state == StepState.ERROR) + sum(1 for s in record.steps if s.error),
        retry_count=sum(max(0, c.attempts - 1) for c in ran) + sum(max(0, s.llm_attempts - 1) for s in record.steps),
        average_step_ms=sum(durations) / len(durations) if durations else 0.0,
        cache_hit_rate=totals.cached_tokens / totals.prompt_tokens if totals.prompt_tokens else 0.0,
        nudges=sum(1 for s in record.steps if s.feedback and not s.completion.indicated),
        unverified_claims=sum(1 for s in record.steps if s.completion.indicated and not s.completion.verified),
    )


def _cut(text: str | None, limit: int) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[:limit] + f" ...[{len(text) - limit} more characters in the run's history]"


def compact_step(step: AgentStep, keep_text: bool) -> AgentStep:
    limit = PREVIEW_CHARS if keep_text else 0
    calls = [
        c.model_copy(update={"arguments": _cut(c.arguments, limit) or "", "result": _cut(c.result, limit)})
        for c in step.tool_calls
    ]
    return step.model_copy(
        update={"thinking": _cut(step.thinking, limit), "feedback": _cut(step.feedback, limit), "tool_calls": calls}
    )


def compact(record: AgentExecution) -> AgentExecution:
    recent_from = len(record.steps) - RECENT_STEPS
    steps = [compact_step(s, keep_text=i >= recent_from) for i, s in enumerate(record.steps)]
    return record.model_copy(update={"steps": steps})


def export(record: AgentExecution) -> dict[str, Any]:
    """The whole trajectory as JSON-ready data: every step's text, calls, results, timing and tokens."""
    return {"format": TRAJECTORY_FORMAT, **record.model_dump(mode="json")}
