"""Continue-as-new, forced by a dev server of its own that suggests it after a few history events:
the run goes on in new runs with a compacted conversation, completes, and its trajectory is whole."""

from __future__ import annotations

import argparse
import io
import json
import uuid
from collections.abc import AsyncIterator

import pytest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from orchestra.agent.models import AgentExecution, AgentLimits, Strategy
from orchestra.cli.commands_agent import cmd_trajectory
from orchestra.cli.context import Context
from orchestra.settings import Settings
from tests.agent.support import USAGE, agent_worker, start_agent
from tests.conftest import temporal_cli
from tests.llm_server import call, completion, done, scripted

STEPS = 9  # 8 tool steps and task_done
SUGGEST_AFTER_EVENTS = 30


@pytest.fixture(scope="module")
async def small_history_env() -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_cli(),
        dev_server_extra_args=["--dynamic-config-value", f"limit.historyCount.suggestContinueAsNew={SUGGEST_AFTER_EVENTS}"],
        data_converter=pydantic_data_converter,
    )  # fmt: skip
    try:
        yield env
    finally:
        await env.shutdown()


async def test_a_long_run_continues_as_new_and_keeps_its_whole_trajectory(small_history_env, tmp_path):
    client, task_queue = small_history_env.client, f"tq-{uuid.uuid4()}"
    answers = [completion(f"step {i}", [call(f"c{i}", "sleep", seconds=0)], USAGE) for i in range(STEPS - 1)]
    answers.append(done("finished after many steps", USAGE))
    with scripted(answers) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["sleep"], strategy=Strategy.SEQUENTIAL,
                                       limits=AgentLimits(max_steps=STEPS + 1))  # fmt: skip
            record = AgentExecution.model_validate(await handle.result())
            out = io.StringIO()
            settings = Settings(task_queue=task_queue, workspace=tmp_path, data_dir=tmp_path)
            args = argparse.Namespace(workflow_id=handle.id, out=None)
            ctx = Context(args=args, settings=settings, out=out, err=io.StringIO(), _client=client)
            assert await cmd_trajectory(ctx) == 0
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
    exported = json.loads(out.getvalue())
    assert exported["format"].startswith("orchestra.agent.trajectory")
    assert [s["number"] for s in exported["steps"]] == list(range(1, STEPS + 1))
    assert exported["steps"][0]["thinking"] == "step 0" and exported["steps"][0]["tool_calls"][0]["tool"] == "sleep"
    assert exported["totals"]["total_tokens"] == STEPS * 120
