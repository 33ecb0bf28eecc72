"""What the agent loop does with what the model sends: identical calls (merged only without side effects),
task_done next to a failed call, failed model calls (classified, with the HTTP status), and replies of
unusual shapes (normalised, or told to the model), against a scripted server on loopback."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from temporalio.client import WorkflowFailureError
from temporalio.exceptions import ApplicationError

from orchestra.agent.models import MAX_CALLS_PER_REPLY, AgentExecution, AgentLimits, Strategy
from orchestra.errors import ErrorKind
from orchestra.record import AgentState, StepState
from tests.agent.support import agent_worker, start_agent
from tests.helpers import http_server, json_body
from tests.llm_server import Answer, call, completion, done, reply, scripted


async def _run(
    client, task_queue, tmp_path, answers: list[Answer], **fields: Any
) -> tuple[AgentExecution, list[dict[str, Any]]]:
    with scripted(answers) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base, llm_timeout_s=fields.pop("llm_timeout_s", 30)):
            handle = await start_agent(client, task_queue, **fields)
            record = AgentExecution.model_validate(await handle.result())
    return record, seen


async def test_identical_calls_are_merged_only_when_the_tool_has_no_side_effects(client, task_queue, tmp_path):
    posts: list[str] = []

    def hook(request: Any) -> tuple[int, dict[str, str], bytes]:
        posts.append(request.command)
        return json_body({"ok": True})

    with http_server(hook) as url:
        append = {"path": "log.txt", "content": "line\n", "mode": "append"}
        post = {"url": f"{url}/hook", "method": "POST", "json": {"n": 1}}
        calls = [call("a1", "write_file", **append), call("a2", "write_file", **append),
                 call("s1", "sleep", seconds=0), call("s2", "sleep", seconds=0),
                 call("p1", "http_request", **post), call("p2", "http_request", **post)]  # fmt: skip
        record, _ = await _run(client, task_queue, tmp_path, [completion("twice", calls), done()],
                               tools=["write_file", "sleep", "http_request"], strategy=Strategy.PARALLEL)  # fmt: skip
    by_id = {c.call_id: c for c in record.steps[0].tool_calls}
    assert (tmp_path / "log.txt").read_text() == "line\nline\n", "both appends ran"
    assert posts == ["POST", "POST"], "both POSTs were sent"
    assert by_id["a2"].duplicate_of is None and by_id["a2"].attempts >= 1
    assert by_id["s2"].duplicate_of == "s1", "a call without side effects ran once"
    assert by_id["p2"].duplicate_of is None and by_id["p2"].attempts >= 1, "a POST is a side effect"
    assert record.metrics.duplicate_calls == 1


async def test_task_done_next_to_a_failed_call_does_not_end_the_run(client, task_queue, tmp_path):
    check = [call("check", "read_file", path="missing.txt"), call("d1", "task_done", summary="all good")]
    record, seen = await _run(client, task_queue, tmp_path, [completion("checking", check), done("fixed")],
                              tools=["read_file"])  # fmt: skip
    first = record.steps[0]
    assert not first.completion.verified and "check" in (first.completion.reason or "")
    told = {m["tool_call_id"]: m["content"] for m in seen[1]["body"]["messages"] if m["role"] == "tool"}
    assert "not accepted" in told["d1"] and "check" in told["d1"]
    assert len(seen) == 2 and record.success and record.final_result == "fixed"


Failure = tuple[Answer | None, int, ErrorKind, str, int | None]
FAILURES: dict[str, Failure] = {
    "unauthorised": ((401, {}, b'{"error": "invalid api key"}'), 1, ErrorKind.LLM_ERROR, "llm_auth", 401),
    "bad request": ((400, {}, b'{"error": "context too long"}'), 1, ErrorKind.LLM_ERROR, "llm_bad_request", 400),
    "server error": ((500, {}, b"internal error"), 2, ErrorKind.LLM_ERROR, "llm_unavailable", 500),
    "not json": ((200, {}, b"<html>gateway</html>"), 2, ErrorKind.LLM_ERROR, "llm_bad_response", 200),
    "http timeout": (None, 2, ErrorKind.TIMEOUT, "llm_timeout", None),
}


@pytest.mark.parametrize("case", FAILURES, ids=list(FAILURES))
async def test_a_failed_model_call_is_classified_with_its_status(client, task_queue, tmp_path, case):
    answer, requests, kind, code, status = FAILURES[case]
    limits = AgentLimits(llm_max_attempts=2)
    with scripted([answer or done()], delay_s=30 if answer is None else 0) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base, llm_timeout_s=1 if answer is None else 30):
            handle = await start_agent(client, task_queue, tools=["sleep"], limits=limits)
            with pytest.raises(WorkflowFailureError) as failure:
                await handle.result()
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "agent_llm_failed"
    record = AgentExecution.model_validate(cause.details[0])
    error = record.steps[0].error
    assert error is not None and record.error is not None and record.state == AgentState.ERROR
    assert (error.type, error.code, record.error.type) == (kind, code, kind)
    assert error.details == ({"status": status} if status else None)
    assert error.retryable == (requests > 1)
    assert len(seen) == requests and record.steps[0].llm_attempts == requests


def _calls_of(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for m in body["messages"] if m["role"] == "assistant" for c in m.get("tool_calls") or []]


async def test_a_tool_call_without_an_id_or_with_object_arguments_runs(client, task_queue, tmp_path):
    no_id = {
        "type": "function",
        "function": {"name": "write_file", "arguments": json.dumps({"path": "a.txt", "content": "a"})},
    }
    as_object = {
        "id": "obj",
        "type": "function",
        "function": {"name": "write_file", "arguments": {"path": "b.txt", "content": "b"}},
    }
    no_name = {"id": "anon", "type": "function", "function": {"arguments": "{}"}}  # fmt: skip
    answers = [completion("odd shapes", [no_id, as_object, no_name]), done()]
    record, seen = await _run(client, task_queue, tmp_path, answers, tools=["write_file"],
                              limits=AgentLimits(llm_max_attempts=2))  # fmt: skip
    assert (tmp_path / "a.txt").read_text() == "a" and (tmp_path / "b.txt").read_text() == "b"
    generated, obj, anon = record.steps[0].tool_calls
    assert generated.call_id and generated.state == StepState.COMPLETED and obj.state == StepState.COMPLETED
    assert anon.state == StepState.ERROR and "no function name" in (anon.result or "")
    sent = _calls_of(seen[1]["body"])
    assert [c["id"] for c in sent] == [generated.call_id, "obj", "anon"]
    assert all(isinstance(c["function"]["arguments"], str) for c in sent), "sent back as JSON text"
    answered = [m["tool_call_id"] for m in seen[1]["body"]["messages"] if m["role"] == "tool"]
    assert answered == [generated.call_id, "obj", "anon"] and record.success


async def test_an_empty_reply_and_a_cut_off_reply_are_told_to_the_model(client, task_queue, tmp_path):
    answers = [
        reply({"choices": []}),
        completion("Here is a very long answer that was cut", finish_reason="length"),
        done(),
    ]
    record, seen = await _run(client, task_queue, tmp_path, answers, tools=["sleep"],
                              limits=AgentLimits(llm_max_attempts=2, max_output_tokens=64))  # fmt: skip
    assert len(seen) == 3 and record.success
    empty, cut, _ = record.steps
    assert empty.finish_reason == "no_choices" and empty.feedback and "no choices" in empty.feedback
    assert seen[1]["body"]["messages"][-1] == {"role": "user", "content": empty.feedback}
    assert cut.finish_reason == "length" and cut.feedback and "max_tokens" in cut.feedback
    assert seen[2]["body"]["messages"][-1] == {"role": "user", "content": cut.feedback}


async def test_a_reply_asking_for_hundreds_of_calls_runs_the_first_few_and_the_model_is_told(
    client, task_queue, tmp_path
):
    """Ordering a reply's calls is workflow code: 500 calls in one reply made it outlast the workflow task's
    deadline, and the task failed and retried for ever (the run hung). The first MAX_CALLS_PER_REPLY run."""
    many = [call(f"c{i}", "write_file", path=f"f{i}.txt", content="x") for i in range(500)]
    answers = [completion(None, many), done("wrote them")]
    with scripted(answers) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["write_file"])
            record = AgentExecution.model_validate(await asyncio.wait_for(handle.result(), 120))
    first = record.steps[0]
    assert len(first.tool_calls) == MAX_CALLS_PER_REPLY and first.calls_dropped == 500 - MAX_CALLS_PER_REPLY
    assert all(c.state == StepState.COMPLETED for c in first.tool_calls)
    told = seen[1]["body"]["messages"]
    assert f"asked for 500 tool calls; only the first {MAX_CALLS_PER_REPLY} ran" in told[-1]["content"]
    assert len(told[-2 - MAX_CALLS_PER_REPLY]["tool_calls"]) == MAX_CALLS_PER_REPLY  # the reply as it was kept
    assert record.state == AgentState.COMPLETED


async def test_half_a_surrogate_pair_in_a_reply_or_its_arguments_is_read_as_a_replacement_character(
    client, task_queue, tmp_path
):
    """No UTF-8 carries half a surrogate pair (JSON's ``\\ud800``): a reply holding one could not be sent
    to the workflow (the model call failed, retried), nor arguments holding one to the tool (the workflow
    task failed, retried for ever). Each is read as U+FFFD, as undecodable bytes are."""
    odd = {"id": "odd", "type": "function",
           "function": {"name": "write_file", "arguments": '{"path": "a.txt", "content": "x\\udfffy"}'}}  # fmt: skip
    answers = [completion("half \ud83d a pair", [odd]), done()]
    with scripted(answers) as (base, _seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["write_file"], limits=AgentLimits(llm_max_attempts=1))
            record = AgentExecution.model_validate(await asyncio.wait_for(handle.result(), 60))
    assert record.success, record.error
    assert record.steps[0].thinking == "half \ufffd a pair"
    assert (tmp_path / "a.txt").read_text() == "x\ufffdy"


async def test_task_done_with_arguments_nested_past_the_parser_ends_the_run(client, task_queue, tmp_path):
    """The summary was read with json.loads in workflow code: arguments nested 100,000 deep raised
    RecursionError there, and the workflow task failed and was retried for ever."""
    deep = {
        "id": "d1",
        "type": "function",
        "function": {"name": "task_done", "arguments": "[" * 100_000 + "]" * 100_000},
    }
    record, _ = await asyncio.wait_for(
        _run(client, task_queue, tmp_path, [completion(None, [deep])] + [done()] * 3), 120
    )
    assert record.state == AgentState.COMPLETED, record.state
