"""The execution record: the seed's execution and step states, kept by the workflow, read by query."""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, PrivateAttr

from orchestra.by_id import IdIndex
from orchestra.errors import ExecutionError
from orchestra.storage.values import StoredValue

OUTPUT_PREVIEW_BYTES = 4096


class AgentState(StrEnum):
    IDLE = "idle"
    INITIALIZING = "initializing"
    RUNNING = "running"
    COMPLETED = "completed"
    ERROR = "error"
    CANCELLED = "cancelled"
    PAUSED = "paused"


class StepState(StrEnum):
    PENDING = "pending"
    THINKING = "thinking"
    CALLING_TOOL = "calling_tool"
    REFLECTING = "reflecting"
    COMPLETED = "completed"
    ERROR = "error"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


FINISHED_STEP_STATES = frozenset({StepState.COMPLETED, StepState.ERROR, StepState.SKIPPED, StepState.CANCELLED})
FINISHED_RUN_STATES = frozenset({AgentState.COMPLETED, AgentState.ERROR, AgentState.CANCELLED})


class CompensationRecord(BaseModel):
    """The undo of a completed step, run because the plan failed later."""

    tool: str
    state: StepState = StepState.PENDING
    output: Any = None
    error: ExecutionError | None = None


class StepRecord(BaseModel):
    node_id: str
    tool: str
    phase: int
    depends_on: list[str] = Field(default_factory=list)
    state: StepState = StepState.PENDING
    scheduled_at: datetime | None = None
    started_at: datetime | None = Field(
        None, description="when the activity attempt that succeeded began (worker clock)"
    )
    ended_at: datetime | None = None
    duration_ms: float | None = None
    attempts: int = 0
    tokens: int = Field(0, description="LLM tokens the step's tool reported using")
    error: ExecutionError | None = None
    skip_reason: str | None = None
    output: Any = None
    output_bytes: int = 0
    output_truncated: bool = False
    output_ref: StoredValue | None = Field(None, description="where the full output is stored, when it is large")
    fallback_from: list[str] = Field(
        default_factory=list, description="tools tried first, each with why it was left: 'tool: reason'"
    )
    compensation: CompensationRecord | None = None

    def set_output(self, output: Any, limit: int = OUTPUT_PREVIEW_BYTES) -> None:
        text = json.dumps(output, default=str)
        self.output_bytes = len(text.encode())
        if self.output_bytes <= limit:
            self.output, self.output_truncated = output, False
        else:
            self.output, self.output_truncated = text.encode()[:limit].decode(errors="ignore") + " ...[truncated]", True


class RunMetrics(BaseModel):
    total_steps: int = 0
    completed: int = 0
    failed: int = 0
    skipped: int = 0
    cancelled: int = 0
    running: int = 0
    pending: int = 0
    tool_call_count: int = 0
    retry_count: int = 0
    error_count: int = 0
    average_step_ms: float = 0.0
    tokens: int = 0


class RunRecord(BaseModel):
    """What every run's record says about the run as a whole, plan runs and agent runs alike; the
    workflows' shared control (workflows/control.py) keeps these fields."""

    id: str
    run_id: str
    state: AgentState = AgentState.INITIALIZING
    success: bool = False
    paused: bool = Field(False, description="cooperatively paused: what runs finishes, nothing new starts")
    pause_reason: str | None = None
    paused_at: datetime | None = None
    started_at: datetime
    ended_at: datetime | None = None
    execution_time_ms: float | None = None
    error: ExecutionError | None = None


class ExecutionRecord(RunRecord):
    plan_name: str
    task: str | None = None
    steps: list[StepRecord] = Field(default_factory=list)
    metrics: RunMetrics = Field(default_factory=RunMetrics)

    _by_id: IdIndex[StepRecord] = PrivateAttr(default_factory=lambda: IdIndex(lambda s: s.node_id))

    def step(self, node_id: str) -> StepRecord:
        return self._by_id.get(self.steps, node_id)

    def refresh_metrics(self) -> RunMetrics:
        counts = {state: 0 for state in StepState}
        for s in self.steps:
            counts[s.state] += 1
        durations = [s.duration_ms for s in self.steps if s.duration_ms is not None]
        self.metrics = RunMetrics(
            total_steps=len(self.steps),
            completed=counts[StepState.COMPLETED],
            failed=counts[StepState.ERROR],
            skipped=counts[StepState.SKIPPED],
            cancelled=counts[StepState.CANCELLED],
            running=counts[StepState.CALLING_TOOL],
            pending=counts[StepState.PENDING],
            tool_call_count=sum(s.attempts for s in self.steps),
            retry_count=sum(max(0, s.attempts - 1) for s in self.steps),
            error_count=sum(1 for s in self.steps if s.error is not None),
            average_step_ms=sum(durations) / len(durations) if durations else 0.0,
            tokens=sum(s.tokens for s in self.steps),
        )
        return self.metrics
