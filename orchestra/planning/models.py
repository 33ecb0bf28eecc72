"""The seed's ExecutionPlan: the runnable Plan plus phases, schedule, resources and fault tolerance."""

from __future__ import annotations

import json

from pydantic import BaseModel, Field, model_validator

from orchestra.analysis.finish import recounted
from orchestra.analysis.models import TaskAnalysis
from orchestra.health import CircuitBreakerSettings
from orchestra.plan import Plan, RetryOverride
from orchestra.planning.notes_as_planned import true_of_plan
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
        self.analysis = _read_as_planned(
            recounted(self.analysis, self.execution.calls, self.execution.at_once), self.execution.plan
        )
        # a note written before selection found a tool ("not planned: no tool emails") is dropped if it was planned
        calls = self.execution.calls
        self.analysis.notes = true_of_plan(self.analysis.notes, calls)
        self.execution.missing = true_of_plan(self.execution.missing, calls)
        self.execution.warnings = true_of_plan(self.execution.warnings, calls)
        return self


def _read_as_planned(analysis: TaskAnalysis, plan: Plan | None) -> TaskAnalysis:
    """The analysis with only the files some call of ``plan`` is given listed as read: "Transcribe talk.wav and
    email it" (third_party: a transcriber takes a URL or a text, never a path) listed talk.wav as read though no call
    reads it (plan214). A file a call's argument or a plan input names is kept: a shell command reading it says it
    in its text."""
    said = json.dumps([[n.args for n in plan.nodes], plan.inputs], default=str) if plan else ""
    res = analysis.resource_requirements
    read = [path for path in res.files_read if json.dumps(path)[1:-1] in said]
    if read == res.files_read:
        return analysis
    return analysis.model_copy(update={"resource_requirements": res.model_copy(update={"files_read": read})})
