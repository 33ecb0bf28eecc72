"""AgentWorkflow against a scripted OpenAI-compatible server on loopback: the loop, completion, nudges,
the step limit, failing tools and token totals."""

from __future__ import annotations

import pytest
from temporalio.client import WorkflowFailureError
from temporalio.exceptions import ApplicationError

from orchestra.agent.completion import NUDGE, UNVERIFIED
from orchestra.agent.models import AgentExecution, AgentLimits, Strategy
from orchestra.record import AgentState, StepState
from tests.agent.support import USAGE, agent_worker, record_of, start_agent
from tests.llm_server import call, completion, done, scripted


async def test_multi_step_run_ends_in_task_done_with_token_totals(client, task_queue, tmp_path):
    answers = [
        completion("I will write the file.", [call("c1", "write_file", path="a.txt", content="hello")], USAGE),
        completion("Now I check it.", [call("c2", "read_file", path="a.txt")], USAGE),
        done("wrote and checked a.txt", USAGE),
    ]
    with scripted(answers) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(
                client, task_queue, task="write hello to a.txt", tools=["write_file", "read_file"]
            )
            record = AgentExecution.model_validate(await handle.result())
    assert record.state == AgentState.COMPLETED and record.success
    assert record.final_result == "wrote and checked a.txt"
    assert [s.state for s in record.steps] == [StepState.COMPLETED] * 3
    assert record.steps[0].thinking == "I will write the file."
    assert record.steps[1].tool_calls[0].state == StepState.COMPLETED
    assert "hello" in (record.steps[1].tool_calls[0].result or "")
    # The model saw native tool definitions (plus task_done) and got results back as tool messages.
    first = seen[0]["body"]
    assert {t["function"]["name"] for t in first["tools"]} == {"write_file", "read_file", "task_done"}
    assert first["messages"][0]["role"] == "system" and first["messages"][1]["content"] == "write hello to a.txt"
    second = seen[1]["body"]["messages"]
    assert second[-2]["tool_calls"][0]["id"] == "c1"
    assert second[-1]["role"] == "tool" and second[-1]["tool_call_id"] == "c1" and "a.txt" in second[-1]["content"]
    # Token totals are the sum of the scripted usage, with cached and reasoning tokens.
    t = record.totals
    assert (t.prompt_tokens, t.completion_tokens, t.total_tokens, t.cached_tokens, t.reasoning_tokens) == (
        300, 60, 360, 120, 15)  # fmt: skip
    assert record.steps[0].usage.cached_tokens == 40
    m = record.metrics
    assert (m.llm_call_count, m.tool_call_count, m.error_count, m.retry_count) == (3, 2, 0, 0)
    assert m.cache_hit_rate == pytest.approx(0.4) and m.average_step_ms > 0


async def test_an_unverified_claim_is_recorded_and_the_model_asked_to_go_on(client, task_queue, tmp_path):
    answers = [completion("Task completed! Everything is fine."), done()]
    with scripted(answers) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["sleep"])
            record = AgentExecution.model_validate(await handle.result())
    claim = record.steps[0].completion
    assert claim.indicated and not claim.verified and record.steps[0].feedback == UNVERIFIED
    assert record.success and len(record.steps) == 2 and record.metrics.unverified_claims == 1
    assert seen[1]["body"]["messages"][-1] == {"role": "user", "content": UNVERIFIED}


async def test_a_reply_without_tool_calls_gets_the_nudge(client, task_queue, tmp_path):
    answers = [completion("Let me think about this."), done()]
    with scripted(answers) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["sleep"])
            record = AgentExecution.model_validate(await handle.result())
    assert record.steps[0].feedback == NUDGE and not record.steps[0].completion.indicated
    assert record.metrics.nudges == 1 and record.success
    assert seen[1]["body"]["messages"][-1]["content"] == NUDGE


async def test_the_step_limit_ends_the_run_unfinished(client, task_queue, tmp_path):
    answers = [completion("again", [call("s", "sleep", seconds=0)])]
    with scripted(answers) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["sleep"], limits=AgentLimits(max_steps=3))
            with pytest.raises(WorkflowFailureError) as failure:
                await handle.result()
            queried = await record_of(handle)
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "agent_step_limit"
    record = AgentExecution.model_validate(cause.details[0])
    assert len(seen) == 3 and len(record.steps) == 3 and record.state == AgentState.ERROR and not record.success
    assert "step limit of 3" in (record.error.message if record.error else "")
    assert queried.state == AgentState.ERROR


@pytest.mark.parametrize("continue_on_error", [True, False])
async def test_a_failing_tool_with_and_without_continue_on_error(client, task_queue, tmp_path, continue_on_error):
    calls = [call("bad", "read_file", path="missing.txt"), call("next", "write_file", path="b.txt", content="x")]
    answers = [completion("two calls", calls), done()]
    with scripted(answers) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(
                client, task_queue, tools=["read_file", "write_file"], strategy=Strategy.SEQUENTIAL,
                continue_on_error=continue_on_error,
            )  # fmt: skip
            record = AgentExecution.model_validate(await handle.result())
    bad, after = record.steps[0].tool_calls
    assert bad.state == StepState.ERROR and bad.error is not None and "error" in (bad.result or "")
    results = {m["tool_call_id"]: m["content"] for m in seen[1]["body"]["messages"] if m["role"] == "tool"}
    assert results["bad"] == bad.result, "the model is told about the failure"
    if continue_on_error:
        assert after.state == StepState.COMPLETED and (tmp_path / "b.txt").exists()
    else:
        assert after.state == StepState.SKIPPED and "continue_on_error is false" in results["next"]
        assert not (tmp_path / "b.txt").exists()
    assert record.success and record.metrics.error_count == 1
    assert record.steps[0].reflection and "read_file (bad)" in record.steps[0].reflection
    assert seen[1]["body"]["messages"][-1] == {"role": "user", "content": record.steps[0].reflection}


async def test_calls_that_cannot_run_are_answered_without_running(client, task_queue, tmp_path):
    bad_json = {"id": "j", "type": "function", "function": {"name": "sleep", "arguments": "{not json"}}
    calls = [call("u", "rm_rf", path="/"), bad_json, call("ok", "sleep", seconds=0)]
    with scripted([completion("try", calls), done()]) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["sleep"])
            record = AgentExecution.model_validate(await handle.result())
    unknown, invalid, ok = record.steps[0].tool_calls
    assert unknown.state == StepState.ERROR and "unknown tool 'rm_rf'" in (unknown.result or "")
    assert invalid.state == StepState.ERROR and "not valid JSON" in (invalid.result or "")
    assert ok.state == StepState.COMPLETED and record.metrics.tool_call_count == 1
    answered = [m["tool_call_id"] for m in seen[1]["body"]["messages"] if m["role"] == "tool"]
    assert answered == ["u", "j", "ok"]


async def test_unknown_tools_in_the_request_fail_before_any_step(client, task_queue, tmp_path):
    with scripted([done()]) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["sleep", "teleport"])
            with pytest.raises(WorkflowFailureError) as failure:
                await handle.result()
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError) and "teleport" in cause.message and not seen
    assert cause.type == "agent_invalid_request", (cause.type, cause.details)
    assert AgentExecution.model_validate(cause.details[0]).state == AgentState.ERROR


async def test_the_conversation_stays_within_the_token_budget(client, task_queue, tmp_path):
    big = "y" * 2000
    answers = [
        completion("write", [call("w1", "write_file", path="big.txt", content=big)]),
        completion("read", [call("r1", "read_file", path="big.txt")]),
        completion("again", [call("w2", "write_file", path="big2.txt", content=big)]),
        done(),
    ]
    limits = AgentLimits(context_tokens=1000, max_output_tokens=100, max_tool_output_tokens=50)
    with scripted(answers) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["write_file", "read_file"], limits=limits)
            record = AgentExecution.model_validate(await handle.result())
    read = record.steps[1].tool_calls[0]
    assert read.truncated and "characters truncated" in (read.result or "") and read.result_bytes > 2000
    last = seen[-1]["body"]["messages"]
    assert last[0]["role"] == "system" and last[1]["content"] == "do the thing"
    dropped = record.steps[-1].context_dropped
    assert f"[{dropped} earlier messages were left out" in last[2]["content"] and dropped >= 2
    assert last[-1]["role"] == "tool" and last[-1]["tool_call_id"] == "w2", "the latest results stay"
    assert len(seen[0]["body"]["messages"]) == 2 and record.steps[0].context_dropped == 0
    assert record.success
