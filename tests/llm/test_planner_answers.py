"""The planner's model (``--backend llm``) answering with far more steps than any task has: each step was
ranked against the registry on the worker's event loop (30,000 steps: 24 s, every other activity's heartbeat
held) into a plan no one asked for. Now the count is checked before a step is read, and the model is asked
again, for a fan_out step. Real HTTP on loopback; the task run on the dev server."""

from __future__ import annotations

import json
import uuid

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ActivityError, ApplicationError
from temporalio.worker import Worker

from activities.intelligence import IntelligenceActivities
from orchestra.analysis.llm_backend import MAX_LLM_STEPS, analyse_llm
from orchestra.llm import ChatClient, LLMConfig
from orchestra.llm.errors import LLM_BAD_ANSWER
from orchestra.registry import default_registry
from tests.llm_server import completion, scripted
from worker import WORKFLOWS
from workflows.task import TaskRequest, TaskWorkflow

TASK = "get the title of http://127.0.0.1:9/x"


def _steps(count: int) -> str:
    steps = [{"id": f"s{i}", "action": f"fetch page {i}", "capability": "fetch",
              "data": [{"kind": "url", "value": f"http://127.0.0.1:9/{i}"}]} for i in range(count)]  # fmt: skip
    return json.dumps({"steps": steps})


def config(base: str) -> LLMConfig:
    return LLMConfig(base_url=base, model="scripted", api_key="sk-test", timeout_s=30)


async def test_an_answer_of_thousands_of_steps_is_asked_again_for_a_fan_out():
    with scripted([completion(_steps(5000)), completion(_steps(2))]) as (base, seen):
        async with ChatClient(config(base)) as chat:
            analysis = await analyse_llm(TASK, default_registry(), chat)
    assert len(analysis.steps) == 2, "the second answer, within the bound, is the plan"
    told = seen[1]["body"]["messages"][-1]["content"]
    assert f"5,000 steps: at most {MAX_LLM_STEPS}" in told and "fan_out" in told


async def test_a_model_that_keeps_answering_thousands_of_steps_fails_the_task_with_why(client: Client, task_queue: str):
    with scripted([completion(_steps(5000))]) as (base, seen):
        llm = IntelligenceActivities(default_registry(), None, config(base))
        async with Worker(
            client, task_queue=task_queue, workflows=WORKFLOWS, activities=[llm.analyse_task, llm.select_tools]
        ):
            with pytest.raises(WorkflowFailureError) as failure:
                await client.execute_workflow(
                    TaskWorkflow.run,
                    TaskRequest(task=TASK, backend="llm", execute=False),
                    id=f"task-{uuid.uuid4()}",
                    task_queue=task_queue,
                )
    cause = failure.value.cause
    assert isinstance(cause, ActivityError) and isinstance(cause.cause, ApplicationError)
    assert cause.cause.details[0]["code"] == LLM_BAD_ANSWER and "at most 100" in cause.cause.message
    assert len(seen) == 3, "the bounded re-asks, not retried by Temporal: the model's answers are its own"


def test_the_bound_is_in_the_schema_the_model_is_shown():
    from orchestra.analysis.llm_backend import messages_for

    system = messages_for(TASK, default_registry())[0].content or ""
    assert f'"maxItems": {MAX_LLM_STEPS}' in system
