"""The seed's ExecutionPlan: the runnable Plan plus phases, schedule, resources and fault tolerance."""

from __future__ import annotations

from pydantic import BaseModel, Field, model_validator

from orchestra.analysis.finish import recounted
from orchestra.analysis.models import TaskAnalysis
from orchestra.health import CircuitBreakerSettings
from orchestra.plan import Plan, RetryOverride
from orchestra.selection.models import ToolSelection


class ExecutionPhase(BaseModel):
    phase_id: str
    nodes: list[str]
    parallel_execution: bool
    estimated_start_s: float
    estimated_duration_s: float


class ResourceAllocation(BaseModel):
    max_parallel: int
    peak_width: int
    tool_concurrency: dict[str, int] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)


class NodeStrategy(BaseModel):
    node: str
    tool: str
    risk: str
    retry: RetryOverride
    fallbacks: list[str] = Field(default_factory=list)
    compensation: str | None = None


class PhaseStrategy(BaseModel):
    phase_id: str
    node_strategies: list[NodeStrategy]
    rollback_plan: list[str] = Field(
        default_factory=list, description="compensations to run, newest first, if this phase fails"
    )


class FaultTolerancePlan(BaseModel):
    phase_strategies: list[PhaseStrategy]
    global_timeout_s: float
    circuit_breaker: CircuitBreakerSettings
    in_run_failures_to_open: int


class ExecutionPlan(BaseModel):
    plan: Plan | None
    phases: list[ExecutionPhase] = Field(default_factory=list)
    critical_path: list[str] = Field(default_factory=list)
    estimated_duration_s: float = 0.0
    resource_allocation: ResourceAllocation | None = None
    fault_tolerance: FaultTolerancePlan | None = None
    missing_inputs: list[str] = Field(default_factory=list, description="plan inputs the user must give (--input)")
    problems: list[str] = Field(default_factory=list, description="why there is no runnable plan")
    missing: list[str] = Field(
        default_factory=list,
        description="sub-goals no tool serves (creation required), with the nearest tools; the plan holds the rest",
    )
    warnings: list[str] = Field(default_factory=list)
    calls: dict[str, int] = Field(default_factory=dict, description="per step of the analysis, the calls it makes")
    at_once: dict[str, int] = Field(default_factory=dict, description="per step, how many of its calls run at once")


class PlanningResult(BaseModel):
    """Everything `plan` prints: the analysis, the selections and the execution plan. The analysis's widths
    and tool calls are the plan's (``finish.recounted``): one count, not one per stage."""

    analysis: TaskAnalysis
    selections: list[ToolSelection]
    execution: ExecutionPlan

    @model_validator(mode="after")
    def _counted_as_planned(self) -> PlanningResult:
        self.analysis = recounted(self.analysis, self.execution.calls, self.execution.at_once)
        return self
