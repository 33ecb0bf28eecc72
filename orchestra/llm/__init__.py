"""An OpenAI-compatible chat client: messages and tool calls, classified errors, structured answers."""

from orchestra.llm.client import ChatClient
from orchestra.llm.config import LLMConfig
from orchestra.llm.errors import (
    LLMAnswerTooLarge,
    LLMAuthError,
    LLMBadAnswer,
    LLMBadResponse,
    LLMError,
    LLMRateLimited,
    LLMTimeout,
    LLMUnavailable,
)
from orchestra.llm.types import ChatRequest, ChatResponse, Message, ToolCallRequest, ToolDefinition, Usage

__all__ = [
    "ChatClient",
    "ChatRequest",
    "ChatResponse",
    "LLMAnswerTooLarge",
    "LLMAuthError",
    "LLMBadAnswer",
    "LLMBadResponse",
    "LLMConfig",
    "LLMError",
    "LLMRateLimited",
    "LLMTimeout",
    "LLMUnavailable",
    "Message",
    "ToolCallRequest",
    "ToolDefinition",
    "Usage",
]
