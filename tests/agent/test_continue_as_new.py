"""Continue-as-new, forced by a dev server of its own that suggests it after a few history events:
the run goes on in new runs with a compacted conversation, completes, and its trajectory is whole."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from itertools import pairwise

import pytest
from temporalio.client import WorkflowFailureError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from orchestra.agent import trajectory
from orchestra.agent.models import AgentExecution, AgentLimits, Strategy
from tests.agent.support import USAGE, agent_worker, start_agent
from tests.conftest import server_suggesting_continue_as_new
from tests.llm_server import call, completion, done, scripted
from tests.ops.support import run_command

STEPS = 9  # 8 tool steps and task_done
SUGGEST_AFTER_EVENTS = 30


@pytest.fixture(scope="module")
async def small_history_env() -> AsyncIterator[WorkflowEnvironment]:
    async with server_suggesting_continue_as_new(SUGGEST_AFTER_EVENTS) as env:
        yield env


async def test_a_long_run_continues_as_new_and_keeps_its_whole_trajectory(small_history_env, tmp_path):
    client, task_queue = small_history_env.client, f"tq-{uuid.uuid4()}"
    answers = [completion(f"step {i}", [call(f"c{i}", "sleep", seconds=0)], USAGE) for i in range(STEPS - 1)]
    answers.append(done("finished after many steps", USAGE))
    with scripted(answers) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["sleep"], strategy=Strategy.SEQUENTIAL,
                                       limits=AgentLimits(max_steps=STEPS + 1))  # fmt: skip
            record = AgentExecution.model_validate(await handle.result())
            exported_run = await run_command(client, "--task-queue", task_queue, "trajectory", handle.id)
            assert exported_run.code == 0, exported_run.err
    assert record.success and record.final_result == "finished after many steps"
    assert len(record.run_ids) >= 3 and record.run_ids[-1] == record.run_id, "it continued as new more than once"
    assert [s.number for s in record.steps] == list(range(1, STEPS + 1))
    assert len({s.run_index for s in record.steps}) == len(record.run_ids)
    assert record.totals.total_tokens == STEPS * 120 and record.totals.cached_tokens == STEPS * 40
    assert record.metrics.llm_call_count == STEPS and record.metrics.tool_call_count == STEPS - 1
    # Every model call, in every run, still had the system prompt and the task first.
    assert len(seen) == STEPS
    for request in seen:
        messages = request["body"]["messages"]
        assert messages[0]["role"] == "system" and messages[1]["content"] == "do the thing"
    exported = json.loads(exported_run.out)
    assert exported["format"].startswith("orchestra.agent.trajectory")
    assert [s["number"] for s in exported["steps"]] == list(range(1, STEPS + 1))
    assert exported["steps"][0]["thinking"] == "step 0" and exported["steps"][0]["tool_calls"][0]["tool"] == "sleep"
    assert exported["totals"]["total_tokens"] == STEPS * 120


def _usage(i: int) -> dict[str, int]:
    return {"prompt_tokens": 100 + i, "completion_tokens": 20, "total_tokens": 120 + i}


async def test_the_export_of_a_chain_reads_every_run_from_its_history(small_history_env, tmp_path, monkeypatch):
    """The runs carry (and the failure record lists) only the latest step; the export still has every step
    of every run, with its calls, results, timings and tokens, read from the runs' histories: no worker."""
    monkeypatch.setattr(trajectory, "RECENT_STEPS", 1)
    client, task_queue = small_history_env.client, f"tq-{uuid.uuid4()}"
    answers = [completion(f"step {i}", [call(f"c{i}", "sleep", seconds=0)], _usage(i)) for i in range(STEPS)]
    with scripted(answers) as (base, _):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["sleep"], strategy=Strategy.SEQUENTIAL,
                                       limits=AgentLimits(max_steps=STEPS))  # fmt: skip
            with pytest.raises(WorkflowFailureError) as failed:
                await handle.result()
    # The failure's record: bounded, the earlier steps only in its sums and runs' index.
    cause = failed.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "agent_step_limit"
    record = AgentExecution.model_validate(cause.details[0])
    assert record.step_count == STEPS and len(record.steps) < STEPS and record.earlier.steps > 0
    assert record.totals.total_tokens == sum(120 + i for i in range(STEPS)) and record.metrics.tool_call_count == STEPS
    assert len(record.runs) >= 3 and record.runs[-1].run_id == record.run_id
    spans = [(r.first_step, r.last_step) for r in record.runs]
    assert spans[0][0] == 1 and spans[-1][1] == STEPS
    assert all(later[0] == earlier[1] + 1 for earlier, later in pairwise(spans)), spans

    exported_run = await run_command(client, "--task-queue", task_queue, "trajectory", handle.id)
    assert exported_run.code == 0, exported_run.err  # the worker has stopped
    exported = json.loads(exported_run.out)
    steps = exported["steps"]
    assert [s["number"] for s in steps] == list(range(1, STEPS + 1))
    assert exported["state"] == "error" and exported["error"]["code"] == "step_limit"
    assert [r["run_id"] for r in exported["runs"]] == record.run_ids
    assert {s["run_index"] for s in steps} == {r["run_index"] for r in exported["runs"]}, "steps of every run"
    for run in exported["runs"]:
        assert run["last_step"] >= run["first_step"], run
    for i, step in enumerate(steps):
        assert step["thinking"] == f"step {i}" and step["llm_attempts"] == 1 and step["duration_ms"] is not None
        assert step["usage"]["prompt_tokens"] == 100 + i and step["usage"]["total_tokens"] == 120 + i
        (tool_call,) = step["tool_calls"]
        assert tool_call["call_id"] == f"c{i}" and tool_call["tool"] == "sleep" and tool_call["state"] == "completed"
        assert json.loads(tool_call["arguments"]) == {"seconds": 0} and tool_call["result"]
        assert tool_call["started_at"] and tool_call["ended_at"] and tool_call["attempts"] == 1
    assert exported["totals"]["total_tokens"] == sum(120 + i for i in range(STEPS))
    assert exported["metrics"]["steps"] == STEPS and exported["metrics"]["tool_call_count"] == STEPS
    assert exported["earlier"]["steps"] == 0
