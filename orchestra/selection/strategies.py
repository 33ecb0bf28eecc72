"""The seed's four scoring strategies. Each maps (tool, step, history) to a score in [0, 1]."""

from __future__ import annotations

from datetime import datetime

from orchestra.analysis.models import TaskStep
from orchestra.health import CircuitState, ToolStats
from orchestra.tool_spec import ToolSpec

# Without history a tool is neither fast nor slow; local tools (no round trip) a little faster.
UNKNOWN_PERFORMANCE = 0.5
UNKNOWN_LOCAL_PERFORMANCE = 0.6


def performance(spec: ToolSpec, stats: ToolStats | None) -> float:
    """From the durable history: 1 / (1 + median latency in seconds); 1 s -> 0.5, 100 ms -> 0.91."""
    median = stats.median_latency_ms() if stats else None
    if median is None:
        return UNKNOWN_LOCAL_PERFORMANCE if spec.local else UNKNOWN_PERFORMANCE
    return 1 / (1 + median / 1000)


def cost(spec: ToolSpec) -> float:
    """Free is 1.0; cost 1 is 0.5; cost 2 is 0.33."""
    return 1 / (1 + spec.cost)


def reliability(spec: ToolSpec, stats: ToolStats | None, now: datetime) -> float:
    """Recent success rate from the history, zero while the circuit is open; a prior from the spec without history."""
    if stats and stats.recent:
        circuit = stats.circuit_at(now)
        if circuit == CircuitState.OPEN:
            return 0.0
        rate = stats.success_rate()
        return rate * 0.5 if circuit == CircuitState.HALF_OPEN else rate
    prior = 0.6 + 0.1 * spec.idempotent + 0.1 * (not spec.side_effects) + 0.1 * (spec.retry.max_attempts >= 3)
    return min(prior + 0.05 * spec.local, 0.95)


def input_fit(spec: ToolSpec, step: TaskStep) -> float:
    if step.accepts:
        return 1.0 if set(spec.input_types) & set(step.accepts) else 0.0
    return 1.0 if not spec.input_types else 0.5


def output_fit(spec: ToolSpec, step: TaskStep) -> float:
    if step.produces:
        return 1.0 if set(spec.output_types) & set(step.produces) else 0.0
    return 1.0


def compatibility(spec: ToolSpec, step: TaskStep, relevance: float = 1.0) -> float:
    """Data types in and out, and how well the tool's own description matches the step (``relevance``)."""
    return 0.35 * input_fit(spec, step) + 0.25 * output_fit(spec, step) + 0.4 * relevance
