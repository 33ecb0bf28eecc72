"""What a tool is: a typed spec plus the coroutine that does the work."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from orchestra.confinement import Confinement


class RetryHints(BaseModel):
    """Defaults for the Temporal RetryPolicy of this tool's activity; a plan node may override them."""

    max_attempts: int = Field(3, ge=1)
    initial_interval_s: float = Field(1.0, gt=0)
    backoff: float = Field(2.0, ge=1)
    max_interval_s: float = Field(30.0, gt=0)


class ToolSpec(BaseModel):
    """The description of a tool that planning, validation and the UI rely on.

    ``input_types``/``output_types`` name kinds of data (``url``, ``html``, ``text``, ``json``,
    ``path``...) so a planner can chain a tool whose output fits the next tool's input.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    name: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_.\-]*$")
    description: str
    capabilities: list[str] = Field(default_factory=list)
    input_model: type[BaseModel] = Field(exclude=True)
    output_model: type[BaseModel] | None = Field(default=None, exclude=True)
    input_types: list[str] = Field(default_factory=list)
    output_types: list[str] = Field(default_factory=list)
    cost: float = Field(0.0, ge=0, description="relative cost of one call, e.g. money or quota")
    side_effects: bool = False
    idempotent: bool = True
    timeout_s: float = Field(60.0, gt=0)
    heartbeat_timeout_s: float | None = Field(None, gt=0)
    retry: RetryHints = Field(default_factory=RetryHints)
    local: bool = Field(False, description="pure and fast: run as a local activity, saving a round trip")
    secret_args: list[str] = Field(default_factory=list, description="argument names never shown in clear")
    requires_approval: bool = False

    def input_schema(self) -> dict[str, Any]:
        return self.input_model.model_json_schema()

    def output_schema(self) -> dict[str, Any] | None:
        return self.output_model.model_json_schema() if self.output_model else None

    def describe(self) -> dict[str, Any]:
        return {
            **self.model_dump(mode="json"),
            "input_schema": self.input_schema(),
            "output_schema": self.output_schema(),
        }


@dataclass
class ToolContext:
    """What a running tool may use: the confinement rules and a way to report liveness."""

    confinement: Confinement
    heartbeat: Callable[..., None] = lambda *details: None
    extra: dict[str, Any] = field(default_factory=dict)


ToolFunction = Callable[[Any, ToolContext], Awaitable[Any]]


@dataclass(frozen=True)
class Tool:
    spec: ToolSpec
    run: ToolFunction

    @property
    def name(self) -> str:
        return self.spec.name
