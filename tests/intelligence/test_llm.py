"""The llm backend against a scripted OpenAI-compatible server on loopback (real HTTP): invalid JSON
repaired, answers that stay invalid, 429 with Retry-After and 500 retried by Temporal, 401 not retried."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ActivityError, ApplicationError

from activities.intelligence import IntelligenceActivities
from orchestra.analysis.llm_backend import analyse_llm
from orchestra.llm import ChatClient, LLMBadAnswer, LLMConfig, LLMRateLimited
from orchestra.llm.errors import error_for_status, parse_retry_after
from orchestra.registry import default_registry
from tests.llm_server import completion, scripted
from workflows.task import TaskOutcome, TaskRequest, TaskWorkflow

GOOD = {
    "steps": [
        {"id": "fetch", "action": "download the page", "capability": "fetch",
         "data": [{"kind": "url", "value": "http://127.0.0.1:9/x"}], "accepts": ["url"], "produces": ["html", "text"]},
        {"id": "title", "action": "extract the title", "capability": "extract", "depends_on": ["fetch"],
         "params": {"mode": "html_title"}, "accepts": ["html", "text"], "produces": ["text"]},
    ]
}  # fmt: skip


def config(base: str) -> LLMConfig:
    return LLMConfig(base_url=base, model="scripted", api_key="sk-test", timeout_s=10)


async def test_invalid_json_is_repaired_by_asking_again():
    with scripted([completion("Sure! {not json"), completion("```json\n" + json.dumps(GOOD) + "\n```")]) as (
        base,
        seen,
    ):
        async with ChatClient(config(base)) as chat:
            analysis = await analyse_llm("get the title of http://127.0.0.1:9/x", default_registry(), chat)
            assert chat.usage.total_tokens == 30
    assert [s.id for s in analysis.steps] == ["fetch", "title"] and analysis.backend == "llm"
    assert len(seen) == 2 and seen[0]["path"] == "/v1/chat/completions" and seen[0]["auth"] == "Bearer sk-test"
    assert seen[0]["body"]["response_format"] == {"type": "json_object"}
    repair = seen[1]["body"]["messages"][-1]["content"]
    assert "not valid" in repair and "not JSON" in repair


async def test_answers_that_stay_invalid_fail_clearly_after_bounded_reasks():
    bad_deps = {"steps": [{"id": "a", "action": "x", "capability": "fetch", "depends_on": ["ghost"]}]}
    with scripted([completion(json.dumps({"steps": []})), completion(json.dumps(bad_deps))]) as (base, seen):
        async with ChatClient(config(base)) as chat:
            with pytest.raises(LLMBadAnswer, match=r"after 3 answers.*unknown step"):
                await analyse_llm("anything", default_registry(), chat)
    assert len(seen) == 3


def test_status_classification_and_retry_after():
    limited = error_for_status(429, "slow down", "2")
    assert isinstance(limited, LLMRateLimited) and limited.retryable and limited.retry_after_s == 2
    app = limited.to_application_error()
    assert not app.non_retryable and app.next_retry_delay == timedelta(seconds=2)
    assert error_for_status(401, "bad key", None).to_application_error().non_retryable
    assert error_for_status(403, "forbidden", None).to_application_error().non_retryable
    assert not error_for_status(503, "busy", None).to_application_error().non_retryable
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after("99999") == 600.0


def test_config_from_environment():
    cfg = LLMConfig.from_env({"OPENAI_BASE_URL": "http://h/v1", "OPENAI_API_KEY": "k", "ORCHESTRA_LLM_MODEL": "m"})
    assert (cfg.base_url, cfg.api_key, cfg.model) == ("http://h/v1", "k", "m")
    assert "k" not in repr(cfg)
    cfg = LLMConfig.from_env({"ORCHESTRA_LLM_BASE_URL": "http://o/v1", "OPENAI_BASE_URL": "http://h/v1"})
    assert cfg.base_url == "http://o/v1"


async def _plan_only(client: Client, task_queue: str, tmp_path: Path, base: str) -> TaskOutcome:
    from temporalio.worker import Worker

    from worker import WORKFLOWS

    llm = IntelligenceActivities(default_registry(), None, config(base))
    async with Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        activities=[llm.analyse_task, llm.select_tools, llm.build_plan],
    ):
        result = await client.execute_workflow(
            TaskWorkflow.run,
            TaskRequest(task="get the title of http://127.0.0.1:9/x", backend="llm", execute=False),
            id=f"task-{uuid.uuid4()}",
            task_queue=task_queue,
        )
    return TaskOutcome.model_validate(result)


async def test_429_with_retry_after_and_500_are_retried_by_temporal(client: Client, task_queue: str, tmp_path: Path):
    answers = [
        (429, {"Retry-After": "1", "Content-Type": "application/json"}, b'{"error": "rate limited"}'),
        (500, {}, b"internal error"),
        completion(json.dumps(GOOD)),
    ]
    with scripted(answers) as (base, seen):
        outcome = await _plan_only(client, task_queue, tmp_path, base)
    assert len(seen) == 3, "one request per activity attempt: Temporal did the retrying"
    assert outcome.planning.analysis.backend == "llm"
    plan = outcome.planning.execution.plan
    assert plan is not None and [n.tool for n in plan.nodes] == ["http_request", "extract_text"]


async def test_401_is_not_retried(client: Client, task_queue: str, tmp_path: Path):
    with (
        scripted([(401, {}, b'{"error": "invalid api key"}')]) as (base, seen),
        pytest.raises(WorkflowFailureError) as failure,
    ):
        await _plan_only(client, task_queue, tmp_path, base)
    assert len(seen) == 1
    cause = failure.value.cause
    assert isinstance(cause, ActivityError) and isinstance(cause.cause, ApplicationError)
    assert cause.cause.type == "llm_error" and "HTTP 401" in cause.cause.message
    assert cause.cause.details[0]["code"] == "llm_auth" and cause.cause.details[0]["status"] == 401


async def test_an_answer_without_data_types_still_links_its_steps():
    """A model that leaves out accepts/produces: the write step writes the fetched page, not "",
    and its fallbacks do the same kind of work (no list_files behind write_file)."""
    terse = {
        "steps": [
            {"id": "fetch", "action": "download the page", "capability": "fetch",
             "data": [{"kind": "url", "value": "http://127.0.0.1:9/x"}]},
            {"id": "save", "action": "write it to page.txt", "capability": "write", "depends_on": ["fetch"],
             "params": {"path": "page.txt"}},
        ]
    }  # fmt: skip
    with scripted([completion(json.dumps(terse))]) as (base, _seen):
        async with ChatClient(config(base)) as chat:
            analysis = await analyse_llm(
                "download http://127.0.0.1:9/x and write it to page.txt", default_registry(), chat
            )
    registry = default_registry()
    from orchestra.planning.planner import build_plan
    from orchestra.selection.selector import select_tools

    execution = build_plan(analysis, select_tools(analysis, registry), registry)
    assert execution.plan is not None and not execution.missing_inputs
    fetch, save = execution.plan.nodes
    assert fetch.tool == "http_request" and save.tool == "write_file"
    assert save.args["content"] == "${fetch.output.text}"
    assert all(alt.tool != "list_files" for node in execution.plan.nodes for alt in node.alternatives)
