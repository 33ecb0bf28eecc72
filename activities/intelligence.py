"""analyse_task, select_tools, build_plan: the intelligent half as activities (all I/O lives here).

analyse_task may call an LLM: its failures are ApplicationErrors that say whether a retry can help
and, for 429/5xx, when (next_retry_delay from Retry-After); TaskWorkflow's RetryPolicy does the rest.
select_tools reads the shared history from ToolHealthWorkflow.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, Field
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.health import HealthReporter
from orchestra.analysis import Backend, TaskAnalysis, TaskAnalysisError, analyse_heuristic
from orchestra.errors import ErrorKind
from orchestra.health import HealthSnapshot
from orchestra.llm import ChatClient, LLMConfig, LLMError
from orchestra.llm.errors import masked_failure
from orchestra.planning.models import ExecutionPlan
from orchestra.planning.planner import build_plan
from orchestra.references import Utf8Text
from orchestra.registry import ToolRegistry
from orchestra.secrets import settings_masker
from orchestra.selection.models import Preferences, ToolSelection
from orchestra.selection.selector import select_tools

# The planner's passes keep caches of their own (embedded request spans, evicted past 4,096) written without
# a lock: two passes at once could evict what the other had just added and then read (a KeyError). So one
# pass at a time, in a thread of their own; they are CPU work under one GIL either way. Not the default
# executor's threads behind a lock: passes waiting their turn there held all of them (6 on 2 cores), and
# every other activity's hop to a thread (run_tool's output walks, prepare_plan) waited for the planner.
# A pass cancelled while it waits (worker shutdown) is dropped from the queue; one already running ends.
_PLANNER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="planner")
T = TypeVar("T")


async def _in_turn(work: Callable[..., T], *args: Any) -> T:
    context = contextvars.copy_context()  # the activity's, as asyncio.to_thread hands on: logs, spans
    return await asyncio.get_running_loop().run_in_executor(_PLANNER, functools.partial(context.run, work, *args))


def _settings_masked(text: str) -> str:
    return settings_masker().text(text)


class AnalyseRequest(BaseModel):
    task: Utf8Text
    backend: Backend = "heuristic"


class SelectRequest(BaseModel):
    analysis: TaskAnalysis
    preferences: Preferences = Field(default_factory=Preferences)


class SelectResult(BaseModel):
    selections: list[ToolSelection]
    history: HealthSnapshot


class BuildRequest(BaseModel):
    analysis: TaskAnalysis
    selections: list[ToolSelection]
    preferences: Preferences = Field(default_factory=Preferences)
    history: HealthSnapshot | None = None


class IntelligenceActivities:
    """The offline planner's three passes, each in a thread, one at a time (_in_turn): they are CPU work
    (an encoder, an index, a search: 1.5 s for a 13 kB task), which on the event loop held every other
    activity of the worker, their heartbeats and their tools' I/O included."""

    def __init__(
        self, registry: ToolRegistry, health: HealthReporter | None = None, llm: LLMConfig | None = None
    ) -> None:
        self.registry = registry
        self.health = health
        self.llm = llm

    @activity.defn(name="analyse_task")
    async def analyse_task(self, request: AnalyseRequest) -> TaskAnalysis:
        await self.registry.refresh()  # planning sees MCP servers' tools as they are now
        try:
            if request.backend == "heuristic":
                return await _in_turn(analyse_heuristic, request.task, self.registry)
            from orchestra.analysis.llm_backend import analyse_llm

            async with ChatClient(self.llm or LLMConfig.from_env()) as client:
                return await analyse_llm(request.task, self.registry, client, _in_turn)
        # Both may quote what an endpoint sent back (its refusal, the model's answer), which may quote what it was
        # given: masked by the worker's secret settings, in a thread (a setting's masker compiles on first use).
        except TaskAnalysisError as exc:
            message = await asyncio.to_thread(_settings_masked, str(exc))
            raise ApplicationError(message, type=ErrorKind.VALIDATION, non_retryable=True) from None
        except LLMError as exc:
            raise await asyncio.to_thread(masked_failure, exc) from None

    @activity.defn(name="select_tools")
    async def select_tools(self, request: SelectRequest) -> SelectResult:
        history = await self.health.snapshot() if self.health else HealthSnapshot()
        selections = await _in_turn(
            select_tools, request.analysis, self.registry, history, request.preferences, datetime.now(UTC)
        )
        return SelectResult(selections=selections, history=history)

    @activity.defn(name="build_plan")
    async def build_plan(self, request: BuildRequest) -> ExecutionPlan:
        return await _in_turn(
            build_plan, request.analysis, request.selections, self.registry, request.preferences, request.history
        )
