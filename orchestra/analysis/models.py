"""The seed's TaskAnalysisResult as one pydantic model, shared by both backends, activities and the CLI."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field

# The seed's thresholds on a complexity score in [0, 1].
COMPLEXITY_THRESHOLDS = ((0.3, "simple"), (0.6, "moderate"), (0.8, "complex"))


class TaskComplexity(StrEnum):
    SIMPLE = "simple"
    MODERATE = "moderate"
    COMPLEX = "complex"
    VERY_COMPLEX = "very_complex"

    @classmethod
    def from_score(cls, score: float) -> TaskComplexity:
        for limit, name in COMPLEXITY_THRESHOLDS:
            if score < limit:
                return cls(name)
        return cls.VERY_COMPLEX


# "query": a clause's own words as the question its tool is asked ("what colour is the car?")
DataKind = Literal["url", "path", "command", "json", "text", "number", "query"]


class DataItem(BaseModel):
    """A piece of data the task names: a URL, a path, a command, a JSON value, a quoted text."""

    kind: DataKind
    value: Any


class TaskStep(BaseModel):
    """One action the task asks for; the planner turns it into one node, or one node per item."""

    id: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    action: str = Field(description="the words of the task this step comes from")
    capability: str = Field(description="the capability a tool needs to serve this step")
    keywords: list[str] = Field(default_factory=list, description="words that help pick the tool")
    candidates: list[str] = Field(
        default_factory=list, description="tools found to serve it, best first (empty: selection searches the registry)"
    )
    accepts: list[str] = Field(default_factory=list, description="data types available as this step's input")
    produces: list[str] = Field(default_factory=list, description="data types wanted from this step")
    data: list[DataItem] = Field(default_factory=list, description="literal data the task gives this step")
    params: dict[str, Any] = Field(default_factory=dict, description="tool hints: mode, pattern, path, format...")
    depends_on: list[str] = Field(default_factory=list)
    only_after: list[str] = Field(
        default_factory=list,
        description="steps of depends_on it only comes after ('then'): their results are not its input",
    )
    fan_out: bool = Field(False, description="one call per item (of its data, or of the step it follows)")
    aggregate: bool = Field(False, description="collects every item of a fanned-out step it depends on")
    side_effects: bool = False
    only_tells: bool = Field(
        False, description="a question: served only by a tool its analysis found, which changes and sends nothing"
    )
    repeated: str = Field(
        "", description="a count of repeats the step says ('3 times'): its call does it once, so an input is asked for"
    )
    condition: str = Field(
        "", description="a condition the step is said under ('if notes.txt is empty'), which no call checks"
    )


class DependencyKind(StrEnum):
    DATA = "data"
    SERVICE = "service"
    RESOURCE = "resource"
    ORDERING = "ordering"


class Dependency(BaseModel):
    kind: DependencyKind
    step: str
    on: str = Field(description="a step id (data/ordering), a host (service) or a resource name")
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.step}<-{self.on}" + (f" ({self.detail})" if self.detail else "")


class ParallelSegment(BaseModel):
    steps: list[str]
    width: int
    reason: str


class ResourceRequirements(BaseModel):
    network_hosts: list[str] = Field(default_factory=list)
    files_read: list[str] = Field(default_factory=list)
    files_written: list[str] = Field(default_factory=list)
    files_deleted: list[str] = Field(default_factory=list, description="files the task's words delete")
    commands: list[str] = Field(default_factory=list)
    max_width: int = 1
    tool_calls: int = 0


class TaskAnalysis(BaseModel):
    """What the task asks for, before any tool is chosen (the seed's TaskAnalysisResult)."""

    task_id: str
    task: str
    backend: str
    complexity: TaskComplexity
    complexity_score: float = Field(ge=0, le=1)
    estimated_duration_s: float
    required_capabilities: list[str]
    resource_requirements: ResourceRequirements
    dependencies: list[Dependency]
    parallelizable_segments: list[ParallelSegment]
    risk_factors: list[str]
    steps: list[TaskStep]
    data: list[DataItem] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class TaskAnalysisError(ValueError):
    """The task cannot be analysed (empty, or nothing in it maps to an action)."""
