"""The llm backend: a chat model breaks the task into steps; the rest is computed like the heuristic's.

The model sees a catalogue of the registry's tools (the most relevant ones for large registries) and
must answer with JSON matching LLMAnalysis. Steps that name unknown dependencies or form a cycle are
treated as an invalid answer and re-asked, like JSON that does not parse.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel, Field, field_validator

from orchestra import dag
from orchestra.analysis.finish import finish_analysis
from orchestra.analysis.models import DataItem, TaskAnalysis, TaskStep
from orchestra.llm.client import ChatClient
from orchestra.llm.types import Message
from orchestra.references import MAX_DEPTH, depth_over
from orchestra.registry import ToolRegistry

MAX_CATALOGUE = 60
# A task a person writes breaks into a handful of steps, and many items are one fan_out step. The model's
# answer is untrusted: 30,000 steps (a 4 MB answer) were each ranked against the registry, 24 s of CPU on
# the worker's event loop (every other activity's heartbeat held), before a plan no one asked for.
MAX_LLM_STEPS = 100


class LLMStep(BaseModel):
    id: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    action: str
    capability: str
    depends_on: list[str] = Field(default_factory=list)
    data: list[DataItem] = Field(default_factory=list)
    params: dict[str, Any] = Field(default_factory=dict)
    accepts: list[str] = Field(default_factory=list)
    produces: list[str] = Field(default_factory=list)
    fan_out: bool = False
    aggregate: bool = False
    side_effects: bool = False


class LLMAnalysis(BaseModel):
    steps: list[LLMStep] = Field(
        min_length=1, max_length=MAX_LLM_STEPS, description="for many items, one step with fan_out, not a step each"
    )

    @field_validator("steps", mode="before")
    @classmethod
    def _few(cls, steps: Any) -> Any:
        """Counted before each step is read: validated first, 30,000 of them took a second each answer."""
        if isinstance(steps, list) and len(steps) > MAX_LLM_STEPS:
            raise ValueError(f"{len(steps):,} steps: at most {MAX_LLM_STEPS}; for many items, one step with fan_out")
        return steps


def check_steps(answer: LLMAnalysis) -> None:
    ids = [s.id for s in answer.steps]
    if len(set(ids)) != len(ids):
        raise ValueError(f"step ids must be unique, got {ids}")
    for step in answer.steps:
        # A run's values cross Temporal as JSON, at most MAX_DEPTH deep (orchestra/references.py): 900 levels
        # of params failed the planner's activity with pydantic's "Maximum serialization depth exceeded".
        if depth_over(step.params) or any(depth_over(d.value) for d in step.data):
            raise ValueError(f"step {step.id!r}: values nested deeper than {MAX_DEPTH} levels; pass flatter values")
        unknown = [d for d in step.depends_on if d not in ids]
        if unknown:
            raise ValueError(f"step {step.id!r} depends on unknown step(s) {unknown}")
    cycle = dag.find_cycle({s.id: s.depends_on for s in answer.steps})
    if cycle:
        raise ValueError(f"dependency cycle {' -> '.join(cycle)}")


def catalogue(task: str, registry: ToolRegistry) -> str:
    words = set(re.findall(r"[a-z]+", task.lower()))
    tools = list(registry)
    if len(tools) > MAX_CATALOGUE:

        def relevance(t: Any) -> int:
            text = f"{t.name} {t.spec.description} {' '.join(t.spec.capabilities)}".lower()
            return -len(words & set(re.findall(r"[a-z]+", text)))

        tools = sorted(tools, key=relevance)[:MAX_CATALOGUE]
    return "\n".join(
        f"- {t.name}: {t.spec.description} capabilities={t.spec.capabilities} "
        f"takes={t.spec.input_types} makes={t.spec.output_types}"
        for t in tools
    )


def messages_for(task: str, registry: ToolRegistry) -> list[Message]:
    schema = json.dumps(LLMAnalysis.model_json_schema())
    system = (
        "You plan tasks for a tool-orchestration engine. Break the task into steps. Each step needs one "
        "capability served by a tool below; use a capability word from the catalogue. List literal data the task "
        "gives a step (kind: url, path, command, json, text, number). depends_on names earlier steps whose output "
        "the step uses. fan_out: one call per item; aggregate: collects all items of a fanned-out step. "
        "params are hints for the tool (path to write, mode, pattern, target_language...).\n"
        f"Tools:\n{catalogue(task, registry)}\n\nAnswer with only a JSON object matching this schema:\n{schema}"
    )
    return [Message(role="system", content=system), Message(role="user", content=task)]


# How the planner's CPU work is run off the event loop: in a thread (the worker passes its planner's own,
# which runs one pass at a time).
Offload = Callable[..., Awaitable[Any]]


async def analyse_llm(
    task: str, registry: ToolRegistry, client: ChatClient, offload: Offload = asyncio.to_thread
) -> TaskAnalysis:
    answer = await client.structured(messages_for(task, registry), LLMAnalysis, check=check_steps)
    # Ranking up to MAX_LLM_STEPS steps against the registry and finishing the analysis is CPU work: on the
    # event loop, it held every other activity of the worker (their heartbeats) for as long.
    analysis: TaskAnalysis = await offload(_finished, task, answer, registry, client.config.model)
    return analysis


def _finished(task: str, answer: LLMAnalysis, registry: ToolRegistry, model: str) -> TaskAnalysis:
    steps = [TaskStep.model_validate(s.model_dump()) for s in answer.steps]
    _complete_types(steps, registry)
    return finish_analysis(task.strip(), "llm", steps, registry, [f"model {model}"])


def _complete_types(steps: list[TaskStep], registry: ToolRegistry) -> None:
    """Fill in the data types a model left out, so data still flows between its steps.

    Without them a step that depends on another would be read as merely ordered after it, and a
    write step would have nothing to write. Types come from the tool the registry ranks first for
    the step; a step that depends on others accepts what they make.
    """
    from orchestra.selection.selector import ranked_for

    by_id = {s.id: s for s in steps}
    for step in steps:
        if not step.produces or not step.accepts:
            ranked = ranked_for(step, registry)
            card = registry.index().card(ranked[0].tool) if ranked else None
            if card is not None:
                step.produces = step.produces or list(card.output_types)
                step.accepts = step.accepts or list(card.input_types)
        upstream = [t for d in step.depends_on for t in by_id[d].produces]
        if upstream and not set(upstream) & set(step.accepts):
            step.accepts = list(dict.fromkeys([*step.accepts, *upstream]))
