"""The agent's activities: one LLM chat step with native tool calling, and the tool catalogue.

``agent_llm_step`` makes exactly one HTTP call per attempt; a failure is an ApplicationError of kind
``llm_error`` (or ``timeout``) carrying its code and HTTP status and saying whether a retry can help
(401/403/400: no; 429/5xx/timeouts: yes, after Retry-After), and the workflow's RetryPolicy does the
retrying. A reply of an unusual shape is normalised, not failed (orchestra/llm/types.py). It heartbeats
so that cancelling a run reaches a model call in flight.
"""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

from temporalio import activity
from temporalio.exceptions import ApplicationError

from orchestra.agent.models import LLMStepRequest, LLMStepResult, ToolInfo
from orchestra.errors import ErrorKind
from orchestra.llm import ChatClient, ChatRequest, LLMConfig, LLMError
from orchestra.registry import ToolRegistry
from orchestra.validation import DEFAULT_HEARTBEAT_TIMEOUT_S

HEARTBEAT_EVERY_S = 1.0
HIDDEN_TOOLS = frozenset({"delete_file"})  # support tools for compensation, not offered to a model


def function_name(tool: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", tool)[:64]


class AgentActivities:
    def __init__(self, registry: ToolRegistry, llm: LLMConfig | None = None) -> None:
        self.registry = registry
        # None: read the environment at each call, so a worker started before the LLM was configured works.
        self.llm = llm

    @activity.defn(name="agent_tools")
    async def agent_tools(self, names: list[str] | None) -> list[ToolInfo]:
        await self.registry.refresh(names or ())  # MCP servers' tools as they are now
        wanted = names if names is not None else [t.name for t in self.registry if t.name not in HIDDEN_TOOLS]
        unknown = [n for n in wanted if n not in self.registry]
        if unknown:
            known = ", ".join(t.name for t in self.registry)
            raise ApplicationError(
                f"unknown tool(s) {', '.join(unknown)}; known tools: {known}",
                type=ErrorKind.VALIDATION,
                non_retryable=True,
            )
        infos: list[ToolInfo] = []
        for name in wanted:
            spec = self.registry.get(name).spec
            infos.append(
                ToolInfo(
                    name=spec.name,
                    function_name=function_name(spec.name),
                    description=spec.description,
                    parameters=spec.input_schema(),
                    requires_approval=spec.requires_approval,
                    side_effects=spec.side_effects,
                    local=spec.local,
                    timeout_s=spec.timeout_s,
                    heartbeat_timeout_s=spec.heartbeat_timeout_s or DEFAULT_HEARTBEAT_TIMEOUT_S,
                    max_attempts=spec.retry.max_attempts,
                    initial_interval_s=spec.retry.initial_interval_s,
                    backoff=spec.retry.backoff,
                    max_interval_s=spec.retry.max_interval_s,
                )
            )
        return infos

    @activity.defn(name="agent_llm_step")
    async def llm_step(self, request: LLMStepRequest) -> LLMStepResult:
        started = datetime.now(UTC)
        beating = asyncio.create_task(_heartbeat_forever())
        try:
            async with ChatClient(self.llm or LLMConfig.from_env()) as client:
                chat = ChatRequest(
                    messages=request.messages,
                    tools=request.tools,
                    temperature=request.temperature,
                    max_tokens=request.max_tokens,
                )
                response = await client.chat(chat)
        except LLMError as exc:
            raise exc.to_application_error() from None
        finally:
            beating.cancel()
        return LLMStepResult(
            message=response.message,
            usage=response.usage,
            finish_reason=response.finish_reason,
            model=response.model,
            attempt=activity.info().attempt,
            started_at=started,
            ended_at=datetime.now(UTC),
        )


async def _heartbeat_forever() -> None:
    while True:
        await asyncio.sleep(HEARTBEAT_EVERY_S)
        activity.heartbeat()
