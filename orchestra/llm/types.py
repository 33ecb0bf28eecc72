"""Chat-completions messages in the OpenAI wire format, general enough for native tool calling.

Tool calls are read leniently, as servers write them: a missing id or name, ``arguments`` sent as a
JSON object instead of JSON text, or nulls, are normalised here rather than failing the reply; what
cannot run (no name, arguments that are not an object) is then told to the model by the agent loop.
"""

from __future__ import annotations

import json
import math
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from orchestra.temporal_bounds import NUMBER, written_now


def _temperature(value: float) -> float:
    """NaN and infinity went through as temperatures, and were written to the run's history as null: the
    model was asked with no temperature at all (its provider's default, often 1), not the one given. A
    value written before this check is read back as it was (``written_now``)."""
    if written_now() and not (math.isfinite(value) and value >= 0):
        raise PydanticCustomError(
            "temperature", "{value} is no temperature: a model's is a finite number, 0 or more", {"value": str(value)}
        )
    return value


# NUMBER last: a yes or no was a temperature of 1 or 0.
Temperature = Annotated[float, AfterValidator(_temperature), NUMBER]

Role = Literal["system", "user", "assistant", "tool"]
NO_CHOICES = "no_choices"  # the finish_reason given to a reply whose ``choices`` array was empty


def _without_nulls(data: Any) -> Any:
    return {k: v for k, v in data.items() if v is not None} if isinstance(data, dict) else data


class FunctionCall(BaseModel):
    name: str = ""
    arguments: str = Field("{}", description="JSON text, as the model wrote it (may be invalid)")

    _nulls = model_validator(mode="before")(_without_nulls)

    @field_validator("arguments", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return value if isinstance(value, str) else json.dumps(value)


class ToolCallRequest(BaseModel):
    id: str = Field("", description="empty when the server sent none; the agent loop gives it one")
    type: Literal["function"] = "function"
    function: FunctionCall = Field(default_factory=FunctionCall)

    _nulls = model_validator(mode="before")(_without_nulls)


class Message(BaseModel):
    role: Role
    content: str | None = None
    tool_calls: list[ToolCallRequest] | None = None
    tool_call_id: str | None = None
    name: str | None = None

    def wire(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class ToolDefinition(BaseModel):
    """A function the model may call (for an agent loop); ``parameters`` is a JSON schema."""

    name: str
    description: str = ""
    parameters: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})

    def wire(self) -> dict[str, Any]:
        return {"type": "function", "function": self.model_dump()}


class ChatRequest(BaseModel):
    messages: list[Message]
    tools: list[ToolDefinition] = Field(default_factory=list)
    tool_choice: str | dict[str, Any] | None = None
    temperature: Temperature | None = 0.0
    max_tokens: int | None = None
    json_mode: bool = Field(False, description="ask for response_format json_object")


class Usage(BaseModel):
    """Token counts of one call; ``cached_tokens`` and ``reasoning_tokens`` are parts of prompt and
    completion tokens that some providers report (OpenAI's ``*_tokens_details``, DeepSeek's cache hits)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cached_tokens: int = 0
    reasoning_tokens: int = 0

    @model_validator(mode="before")
    @classmethod
    def _details(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = {k: v for k, v in data.items() if v is not None}
        prompt_details = data.get("prompt_tokens_details") or {}
        completion_details = data.get("completion_tokens_details") or {}
        if "cached_tokens" not in data:
            cached = prompt_details.get("cached_tokens") if isinstance(prompt_details, dict) else None
            data["cached_tokens"] = cached or data.get("prompt_cache_hit_tokens") or 0
        if "reasoning_tokens" not in data and isinstance(completion_details, dict):
            data["reasoning_tokens"] = completion_details.get("reasoning_tokens") or 0
        return data

    def plus(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
            cached_tokens=self.cached_tokens + other.cached_tokens,
            reasoning_tokens=self.reasoning_tokens + other.reasoning_tokens,
        )


class ChatResponse(BaseModel):
    message: Message
    finish_reason: str | None = None
    usage: Usage = Field(default_factory=Usage)
    model: str | None = None
