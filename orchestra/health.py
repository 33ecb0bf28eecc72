"""Tool performance history and circuit breakers, as pure code over pydantic models.

The durable copy lives in ToolHealthWorkflow (workflows/tool_health.py): one entity workflow per task
queue, fed outcomes by signal from every worker, read by query. The functions here are what it runs,
and what selection and OrchestrationWorkflow use to read a snapshot.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, Field
from pydantic_core import to_json

from orchestra.temporal_bounds import Moment, Seconds

HEALTH_WORKFLOW_TYPE = "ToolHealthWorkflow"


def health_workflow_id(task_queue: str) -> str:
    """One history per task queue: the workers of one deployment share it, tests on their own queue do not."""
    return f"orchestra-tool-health-{task_queue}"


class CircuitState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreakerSettings(BaseModel):
    failure_rate_threshold: float = Field(0.5, gt=0, le=1, description="open when recent failures reach this rate")
    minimum_calls: int = Field(4, ge=1, description="recent calls needed before the rate counts")
    window: int = Field(20, ge=1, description="how many recent calls the rate looks at")
    open_for_s: Seconds = Field(30.0, description="how long the circuit stays open before one probe")


# What one signal may add to the shared state, which every run's selection queries and which continues as
# new with it: anyone who may signal the workflow sends outcomes, and a distinct error type per outcome
# grew a tool's counts without end.
MAX_TOOL_NAME = 256
MAX_ERROR_TYPE = 64
MAX_ERROR_TYPES = 10  # per tool: the most frequent are kept
# The snapshot travels whole: as the query every run's selection makes, and as the health workflow's input
# when it continues as new, both bound by Temporal's 2 MiB payload limit. 2,000 tools of the longest names
# (each written twice, a control character six bytes in JSON) and their error types are 16 MB: the tools
# not called for the longest time are forgotten first, to stay within half the limit.
MAX_TOOLS = 2000
MAX_SNAPSHOT_BYTES = 1 << 20


class ToolOutcome(BaseModel):
    tool: str = Field(max_length=MAX_TOOL_NAME)
    ok: bool
    latency_ms: float = Field(ge=0, allow_inf_nan=False)
    error_type: str | None = Field(None, max_length=MAX_ERROR_TYPE)
    at: Moment


class ToolStats(BaseModel):
    tool: str
    calls: int = 0
    successes: int = 0
    failures: int = 0
    recent: list[bool] = Field(default_factory=list, description="last outcomes, newest last (bounded)")
    recent_latency_ms: list[float] = Field(default_factory=list)
    latency_ewma_ms: float | None = None
    error_types: dict[str, int] = Field(default_factory=dict)
    circuit: CircuitState = CircuitState.CLOSED
    opened_at: datetime | None = None
    open_until: datetime | None = None
    last_at: datetime | None = None

    def success_rate(self) -> float:
        """Laplace-smoothed over the recent window: one failure in one call is not 0%."""
        return (sum(self.recent) + 1) / (len(self.recent) + 2)

    def recent_failure_rate(self) -> float:
        return 0.0 if not self.recent else 1 - sum(self.recent) / len(self.recent)

    def median_latency_ms(self) -> float | None:
        if not self.recent_latency_ms:
            return None
        ordered = sorted(self.recent_latency_ms)
        return ordered[len(ordered) // 2]

    def circuit_at(self, now: datetime) -> CircuitState:
        if self.circuit == CircuitState.OPEN and self.open_until is not None and now >= self.open_until:
            return CircuitState.HALF_OPEN
        return self.circuit


class HealthSnapshot(BaseModel):
    tools: dict[str, ToolStats] = Field(default_factory=dict)
    settings: CircuitBreakerSettings = Field(default_factory=CircuitBreakerSettings)
    as_of: datetime | None = None

    def circuit(self, tool: str, now: datetime) -> CircuitState:
        stats = self.tools.get(tool)
        return stats.circuit_at(now) if stats else CircuitState.CLOSED

    def open_circuits(self, now: datetime) -> list[str]:
        return sorted(t for t, s in self.tools.items() if s.circuit_at(now) == CircuitState.OPEN)


def stats_bytes(stats: ToolStats) -> int:
    """What ``stats`` adds to the snapshot's JSON: its own, its key (the tool's name again) and separators."""
    return len(stats.__pydantic_serializer__.to_json(stats)) + len(to_json(stats.tool)) + 2


def forget_least_recent(snapshot: HealthSnapshot, sizes: dict[str, int]) -> None:
    """Drop the tools reported longest ago until at most MAX_TOOLS remain and their JSON fits
    MAX_SNAPSHOT_BYTES. ``snapshot.tools`` is in the order outcomes arrived, the latest last (the caller
    moves a tool to the end when it reports on it), never by the time an outcome claims: whoever signals
    could date junk tools years ahead and have every real one forgotten first. ``sizes`` holds
    ``stats_bytes`` of each tool (kept by the caller, who knows which ones changed)."""
    tools = snapshot.tools
    total = sum(sizes[t] for t in tools)
    for tool in list(tools):
        if len(tools) <= MAX_TOOLS and total <= MAX_SNAPSHOT_BYTES:
            break
        del tools[tool]
        total -= sizes.pop(tool)


EWMA_ALPHA = 0.2


def apply_outcome(stats: ToolStats, outcome: ToolOutcome, settings: CircuitBreakerSettings) -> ToolStats:
    """Fold one outcome into ``stats`` (in place) and move the circuit: closed -> open -> half-open -> closed."""
    stats.calls += 1
    stats.successes += outcome.ok
    stats.failures += not outcome.ok
    stats.recent = [*stats.recent, outcome.ok][-settings.window :]
    stats.recent_latency_ms = [*stats.recent_latency_ms, outcome.latency_ms][-settings.window :]
    stats.latency_ewma_ms = (
        outcome.latency_ms
        if stats.latency_ewma_ms is None
        else (1 - EWMA_ALPHA) * stats.latency_ewma_ms + EWMA_ALPHA * outcome.latency_ms
    )
    if outcome.error_type:
        stats.error_types[outcome.error_type] = stats.error_types.get(outcome.error_type, 0) + 1
        if len(stats.error_types) > MAX_ERROR_TYPES:  # the rarest (of those, the oldest) goes, never the new one
            rarest = min((t for t in stats.error_types if t != outcome.error_type), key=stats.error_types.__getitem__)
            del stats.error_types[rarest]
    stats.last_at = outcome.at
    state = stats.circuit_at(outcome.at)
    if state == CircuitState.HALF_OPEN:
        if outcome.ok:  # the probe worked: close, and judge from now on
            stats.circuit, stats.opened_at, stats.open_until, stats.recent = CircuitState.CLOSED, None, None, [True]
        else:
            _open(stats, outcome.at, settings)
    elif state == CircuitState.CLOSED:
        enough = len(stats.recent) >= settings.minimum_calls
        if enough and stats.recent_failure_rate() >= settings.failure_rate_threshold:
            _open(stats, outcome.at, settings)
    return stats


def _open(stats: ToolStats, at: datetime, settings: CircuitBreakerSettings) -> None:
    stats.circuit, stats.opened_at = CircuitState.OPEN, at
    stats.open_until = at + timedelta(seconds=settings.open_for_s)
