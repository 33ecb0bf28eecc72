"""The agent's activities: one LLM chat step with native tool calling, and the tool catalogue.

``agent_llm_step`` makes exactly one HTTP call per attempt; a failure is an ApplicationError of kind
``llm_error`` (or ``timeout``) carrying its code and HTTP status and saying whether a retry can help
(401/403/400: no; 429/5xx/timeouts: yes, after Retry-After), and the workflow's RetryPolicy does the
retrying. A reply of an unusual shape is normalised, not failed (orchestra/llm/types.py). It heartbeats
so that cancelling a run reaches a model call in flight.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import re
from collections import Counter
from datetime import UTC, datetime

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.tools import heartbeat_forever
from orchestra.agent.arguments import checked_arguments
from orchestra.agent.attempts import rule_of
from orchestra.agent.completion import TASK_DONE
from orchestra.agent.models import LLMStepRequest, LLMStepResult, ToolInfo
from orchestra.errors import ErrorKind
from orchestra.llm import ChatClient, ChatRequest, LLMConfig, LLMError
from orchestra.llm.errors import masked_failure
from orchestra.registry import ToolRegistry
from orchestra.text import did_you_mean
from orchestra.tool_spec import runs_locally
from orchestra.validation import DEFAULT_HEARTBEAT_TIMEOUT_S

HIDDEN_TOOLS = frozenset({"delete_file"})  # support tools for compensation, not offered to a model
MAX_FUNCTION_NAME = 64


def function_names(tools: list[str]) -> dict[str, str]:
    """The name the model sees for each tool: OpenAI allows ``[A-Za-z0-9_-]{1,64}``, so dots become
    underscores and long names are cut, and two tools (``write_file`` and an MCP server ``write``'s
    ``file``), or one and ``task_done``, could come out the same: the model's call would then run
    whichever came last. A name that is valid and free is kept; every other whose plain form would be
    shared, or cut, gets a suffix from its own name (the same whatever else is offered, unless that
    name is taken too: a tool may be named ``write_file_09a337cf``, another tool's suffixed name)."""
    plain = {tool: re.sub(r"[^A-Za-z0-9_-]", "_", tool) for tool in tools}
    kept = {tool for tool in tools if plain[tool] == tool and len(tool) <= MAX_FUNCTION_NAME and tool != TASK_DONE}
    taken = Counter(plain[tool] for tool in tools) + Counter(kept | {TASK_DONE})
    names = {
        tool: plain[tool]
        for tool in tools
        if tool in kept or (taken[plain[tool]] == 1 and len(plain[tool]) <= MAX_FUNCTION_NAME)
    }
    used = {*names.values(), TASK_DONE}
    for tool in tools:
        if tool in names:
            continue
        for salt in itertools.count():
            suffix = hashlib.sha256(f"{tool}#{salt}".encode() if salt else tool.encode()).hexdigest()[:8]
            name = f"{plain[tool][: MAX_FUNCTION_NAME - len(suffix) - 1]}_{suffix}"
            if name not in used:
                break
        names[tool] = name
        used.add(name)
    return names


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
            known = sorted(t.name for t in self.registry if t.name not in HIDDEN_TOOLS)
            named = "; ".join(f"unknown tool {n!r}{did_you_mean(n, known)}" for n in unknown)
            raise ApplicationError(
                f"{named}; known tools: {', '.join(known)}",
                type=ErrorKind.VALIDATION,
                non_retryable=True,
            )
        # In a thread: each tool's spec is built on its first use (an MCP tool's arguments model made
        # from its JSON Schema, 0.65 s for 2,000 properties) and its parameters' schema generated (0.9 s
        # more), for every tool offered; the worker's other activities run on the loop meanwhile.
        return await asyncio.to_thread(self._tool_infos, wanted)

    def _tool_infos(self, wanted: list[str]) -> list[ToolInfo]:
        infos: list[ToolInfo] = []
        offered = function_names(wanted)
        for name in wanted:
            spec = self.registry.get(name).spec
            rule, max_attempts = rule_of(spec)
            infos.append(
                ToolInfo(
                    name=spec.name,
                    function_name=offered[name],
                    description=spec.description,
                    parameters=spec.input_schema(),
                    requires_approval=spec.requires_approval,
                    side_effects=spec.side_effects,
                    local=runs_locally(spec.local, spec.timeout_s),
                    timeout_s=spec.timeout_s,
                    heartbeat_timeout_s=spec.heartbeat_timeout_s or DEFAULT_HEARTBEAT_TIMEOUT_S,
                    max_attempts=max_attempts,
                    attempts_rule=rule,
                    initial_interval_s=spec.retry.initial_interval_s,
                    backoff=spec.retry.backoff,
                    max_interval_s=spec.retry.max_interval_s,
                )
            )
        return infos

    @activity.defn(name="agent_llm_step")
    async def llm_step(self, request: LLMStepRequest) -> LLMStepResult:
        started = datetime.now(UTC)
        beating = asyncio.create_task(heartbeat_forever())
        try:
            async with ChatClient(self.llm or LLMConfig.from_env()) as client:
                chat = ChatRequest(
                    messages=request.messages,
                    tools=request.tools,
                    temperature=request.temperature,
                    max_tokens=request.max_tokens,
                )
                response = await client.chat(chat)
            # In a thread, still heartbeating: a reply's arguments may be megabytes of values to walk.
            message, problems = await asyncio.to_thread(checked_arguments, response.message)
        except LLMError as exc:
            raise await asyncio.to_thread(masked_failure, exc) from None
        finally:
            beating.cancel()
        return LLMStepResult(
            message=message,
            argument_problems=problems,
            usage=response.usage,
            finish_reason=response.finish_reason,
            model=response.model,
            attempt=activity.info().attempt,
            started_at=started,
            ended_at=datetime.now(UTC),
        )
