"""An agent's call that may not be sent twice (a POST without an Idempotency-Key) has one Temporal attempt,
worked out from the call's own arguments as a plan's node's are (``ToolSpec.attempts_for``): a worker lost
while the server holds the request says nothing of what the server did, and another attempt posts it
again. A GET, or a POST with a key, is still retried. A run recorded before keeps its options on replay
(tests/histories/agent_keyless_post.json, an agent's POST answered 500 recorded by the code that gave
every call its tool's attempts, is replayed by tests/agent/test_replay.py)."""

from __future__ import annotations

import asyncio
import signal
import threading
from typing import Any

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter

from orchestra.agent.attempts import call_attempts, rule_of
from orchestra.agent.models import AgentExecution, AgentToolCall
from orchestra.record import StepState
from orchestra.registry import default_registry
from orchestra.replayers import replayer_without_deadline
from orchestra.tools.described import load_tool_file
from tests.agent.support import agent_worker, start_agent
from tests.control_support import GATE_TIMEOUT_S, attempts_started, until
from tests.helpers import host_rule, http_server, json_body
from tests.llm_server import call, completion, done, scripted
from tests.security.support import kill_worker, ready, spawn_worker, stop
from workflows.agent import AgentWorkflow


def test_a_calls_attempts_follow_its_arguments_or_its_declaration(tmp_path):
    rule, most = rule_of(default_registry().get("http_request").spec)
    assert (rule, most) == ("http_request", 3)
    key = {"Idempotency-Key": "k"}
    cases: list[tuple[dict[str, Any], int]] = [({"method": "POST"}, 1), ({"method": "post", "headers": key}, 3), ({}, 3), ({"method": "PATCH"}, 1),
             ({"method": "${inputs.verb}"}, 1), ({"method": "GET", "headers": "${inputs.headers}"}, 3)]  # fmt: skip
    assert [call_attempts(rule, most, args) for args, _ in cases] == [want for _, want in cases]
    # A declared tool's method is its file's, so its attempts are one number, sent in ToolInfo.max_attempts.
    declared = tmp_path / "tools.yaml"
    declared.write_text(
        "tools:\n  - {name: pay, kind: http, description: d, method: POST, url: 'http://127.0.0.1:9/pay'}\n"
        "  - {name: look, kind: http, description: d, method: GET, url: 'http://127.0.0.1:9/look'}\n"
    )
    assert [rule_of(tool.spec) for tool in load_tool_file(declared)] == [(None, 1), (None, 3)]


async def _sent_across_a_lost_worker(
    client, task_queue, tmp_path, **args: Any
) -> tuple[list[str], AgentToolCall, WorkflowHistory]:
    """The methods the server saw of one call whose first worker was killed while the server held it."""
    sent: list[str] = []
    released = threading.Event()

    def held(request: Any) -> tuple[int, dict[str, str], bytes]:
        sent.append(request.command)
        released.wait(GATE_TIMEOUT_S)
        return json_body({"ok": True})

    with http_server(held) as url:
        answers = [completion("sending", [call("c", "http_request", url=f"{url}/orders", **args)]), done()]
        with scripted(answers) as (base, _):
            first = spawn_worker(
                client, task_queue, tmp_path, ORCHESTRA_ALLOWED_HOSTS=host_rule(url),
                ORCHESTRA_LLM_BASE_URL=base, ORCHESTRA_LLM_MODEL="scripted", ORCHESTRA_LLM_API_KEY="sk-test",
            )  # fmt: skip
            try:
                await ready(first)
                handle = await start_agent(client, task_queue, tools=["http_request"])
                await until(handle.describe, attempts_started("step-1.c"))
                await until(lambda: _len(sent), lambda n: n == 1)
            except BaseException:
                stop(first, signal.SIGKILL)
                raise
            await kill_worker(client, first, handle.id)
            released.set()  # the server did what it was asked; the worker that sent it never heard
            async with agent_worker(client, task_queue, tmp_path, base):
                record = AgentExecution.model_validate(await handle.result())
                history = await handle.fetch_history()
    (made,) = record.steps[0].tool_calls
    return sent, made, history


async def _len(items: list[str]) -> int:
    return len(items)


async def test_an_agents_post_without_a_key_is_not_sent_again_after_a_lost_worker(client, task_queue, tmp_path):
    sent, made, history = await _sent_across_a_lost_worker(client, task_queue, tmp_path, method="POST", json={"n": 1})
    assert sent == ["POST"], "another Temporal attempt posted it again"
    assert made.state == StepState.ERROR and made.attempts == 1, made
    replayer = replayer_without_deadline(workflows=[AgentWorkflow], data_converter=pydantic_data_converter)
    await replayer.replay_workflow(history)  # with its patch marker


@pytest.mark.parametrize("args", [{"method": "GET"}, {"method": "POST", "headers": {"Idempotency-Key": "order-1"}}])
async def test_an_agents_resendable_call_is_retried_after_a_lost_worker(client, task_queue, tmp_path, args):
    sent, made, _ = await _sent_across_a_lost_worker(client, task_queue, tmp_path, **args)
    assert sent == [args["method"]] * 2
    assert made.state == StepState.COMPLETED and made.attempts == 2, made


@pytest.mark.parametrize("key", [None, 5, ["k"], {"v": "k"}])
async def test_a_models_key_that_is_no_string_fails_its_call_not_the_run(client, task_queue, tmp_path, key):
    """The rule reads the model's raw arguments in the workflow, before the tool's model checks them: a key
    of another type once raised there (None.strip), failing the workflow task on every retry, the run stuck."""
    args = {"method": "POST", "url": "http://127.0.0.1:9/orders", "headers": {"Idempotency-Key": key}}
    answers = [completion("sending", [call("c", "http_request", **args)]), done()]
    with scripted(answers) as (base, _):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["http_request"])
            record = AgentExecution.model_validate(await asyncio.wait_for(handle.result(), 60))
    (made,) = record.steps[0].tool_calls
    assert made.state == StepState.ERROR and made.attempts == 1, made
