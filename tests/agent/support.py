"""Helpers for agent tests: a worker pointed at a scripted model, starting runs, reading records, and
registries with a tool that asks approval (`deploy`) or runs until the test releases it (`hold`)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from temporalio.client import Client, WorkflowHandle
from temporalio.worker import Worker

from orchestra.agent.models import AgentExecution, AgentRequest, AgentToolCall
from orchestra.errors import ToolError
from orchestra.llm import LLMConfig
from orchestra.record import StepState
from orchestra.registry import ToolRegistry, default_registry
from orchestra.tool_spec import RetryHints, Tool, ToolContext, ToolSpec
from tests.helpers import settings_for, until
from tests.llm_server import call, completion, done, scripted
from worker import create_worker
from workflows.agent import AgentWorkflow

USAGE = {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120,
         "prompt_tokens_details": {"cached_tokens": 40}, "completion_tokens_details": {"reasoning_tokens": 5}}  # fmt: skip


def agent_worker(
    client: Client,
    task_queue: str,
    workspace: Path,
    base_url: str,
    registry: ToolRegistry | None = None,
    llm_timeout_s: float = 30,
) -> Worker:
    llm = LLMConfig(base_url=base_url, model="scripted", api_key="sk-test", timeout_s=llm_timeout_s)
    return create_worker(client, settings_for(task_queue, workspace), registry, llm=llm)


async def start_agent(client: Client, task_queue: str, **fields: Any) -> WorkflowHandle[Any, Any]:
    fields.setdefault("task", "do the thing")
    return await client.start_workflow(
        AgentWorkflow.run, AgentRequest(**fields), id=f"agent-test-{uuid.uuid4()}", task_queue=task_queue
    )


async def record_of(handle: WorkflowHandle[Any, Any]) -> AgentExecution:
    record = await handle.query(AgentWorkflow.record)
    assert record is not None
    return record


async def wait_for(
    handle: WorkflowHandle[Any, Any], check: Callable[[AgentExecution], bool], within: float = 30
) -> AgentExecution:
    return await until(lambda: record_of(handle), check, within=within)


def intervals(calls: list[AgentToolCall]) -> list[tuple[datetime, datetime]]:
    out = []
    for c in calls:
        assert c.started_at is not None and c.ended_at is not None, c
        out.append((c.started_at, c.ended_at))
    return out


def max_overlap(spans: list[tuple[datetime, datetime]]) -> int:
    """The largest number of spans running at one instant (from the recorded timestamps)."""
    events = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans], key=lambda x: (x[0], x[1]))
    best = running = 0
    for _, delta in events:
        running += delta
        best = max(best, running)
    return best


HOLD_S = 30  # a ceiling for a call the test forgot to release (a failure), never a margin


class DeployInput(BaseModel):
    target: str


async def _deploy(args: DeployInput, ctx: ToolContext) -> dict[str, str]:
    return {"deployed": args.target}


def registry_with_deploy() -> ToolRegistry:
    registry = default_registry()
    spec = ToolSpec(name="deploy", description="Deploy to a target.", input_model=DeployInput,
                    side_effects=True, requires_approval=True)  # fmt: skip
    registry.register(Tool(spec=spec, run=_deploy))
    return registry


class HoldInput(BaseModel):
    pass


def registry_with_hold(released: asyncio.Event) -> ToolRegistry:
    """The built-in tools plus ``hold``: a call that runs until the test sets ``released``."""

    async def hold(args: HoldInput, ctx: ToolContext) -> dict[str, bool]:
        try:
            await asyncio.wait_for(released.wait(), HOLD_S)
        except TimeoutError:
            raise ToolError(f"the test did not release the hold within {HOLD_S}s", code="not_released") from None
        return {"released": True}

    registry = default_registry()
    spec = ToolSpec(name="hold", description="Run until released.", input_model=HoldInput,
                    retry=RetryHints(max_attempts=1))  # fmt: skip
    registry.register(Tool(spec=spec, run=hold))
    return registry


async def terminated_while_calling(client: Client, task_queue: str, tmp_path: Path) -> WorkflowHandle[Any, Any]:
    """An agent run terminated while its ``hold`` call runs, its worker then gone."""
    released = asyncio.Event()
    with scripted([completion("holding", [call("h1", "hold")]), done()]) as (base, _):
        async with agent_worker(client, task_queue, tmp_path, base, registry_with_hold(released)):
            handle = await start_agent(client, task_queue, tools=["hold"])
            await wait_for(handle, lambda r: bool(r.steps and r.steps[0].tool_calls
                                                  and r.steps[0].tool_calls[0].state == StepState.CALLING_TOOL))  # fmt: skip
            await handle.terminate("test")
            released.set()
    return handle
