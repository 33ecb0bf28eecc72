"""Chat-completions messages in the OpenAI wire format, general enough for native tool calling."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Role = Literal["system", "user", "assistant", "tool"]


class FunctionCall(BaseModel):
    name: str
    arguments: str = Field(description="JSON text, as the model wrote it (may be invalid)")


class ToolCallRequest(BaseModel):
    id: str
    type: Literal["function"] = "function"
    function: FunctionCall


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
    temperature: float | None = 0.0
    max_tokens: int | None = None
    json_mode: bool = Field(False, description="ask for response_format json_object")


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0


class ChatResponse(BaseModel):
    message: Message
    finish_reason: str | None = None
    usage: Usage = Field(default_factory=Usage)
    model: str | None = None
