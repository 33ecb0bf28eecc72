"""A conversation over its budget whose latest turn alone is too big: one call whose arguments run to
hundreds of kilobytes, which failed. The latest turn is always kept, and it was kept whole: the next request
carried the arguments again, past the model's window (a real endpoint refuses it, HTTP 400, and the run
failed). Its texts are cut to fit instead, the arguments still a JSON object. Real HTTP on loopback, the run
on the dev server."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from temporalio.client import Client

from orchestra.agent.context import CHARS_PER_TOKEN, CUT_ARGUMENTS, fit, message_tokens
from orchestra.agent.models import AgentExecution, AgentLimits
from orchestra.llm.types import FunctionCall, Message, ToolCallRequest
from orchestra.record import StepState
from tests.agent.support import agent_worker, start_agent
from tests.llm_server import call, completion, done, scripted

CONTEXT = 2_048
HUGE = "x" * 400_000


async def test_one_huge_failed_call_is_cut_to_fit_the_next_request(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    answers = [completion("writing", [call("w", "write_file", path="../outside.txt", content=HUGE)]), done()]
    with scripted(answers) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(
                client, task_queue, tools=["write_file"], limits=AgentLimits(context_tokens=CONTEXT)
            )
            record = AgentExecution.model_validate(await asyncio.wait_for(handle.result(), 60))
    assert record.success and record.steps[0].tool_calls[0].state == StepState.ERROR
    sent = seen[1]["body"]["messages"]
    assert len(json.dumps(sent, ensure_ascii=False)) < CONTEXT * CHARS_PER_TOKEN, "within the model's window"
    (asked,) = [c for m in sent if m["role"] == "assistant" for c in m.get("tool_calls") or []]
    cut = json.loads(asked["function"]["arguments"])[CUT_ARGUMENTS]
    assert cut.startswith('{"path": "../outside.txt"') and "characters truncated" in cut
    assert any(m["role"] == "tool" and m["tool_call_id"] == "w" for m in sent), "the error answers the call"


async def test_one_unknown_tool_of_a_huge_name_is_cut_to_fit_the_next_request(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    answers = [completion("calling", [call("u", "n" * 400_000)]), done()]
    with scripted(answers) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(
                client, task_queue, tools=["write_file"], limits=AgentLimits(context_tokens=CONTEXT)
            )
            record = AgentExecution.model_validate(await asyncio.wait_for(handle.result(), 60))
    assert record.success, "the run went on (its first step's record is bounded: not checked here)"
    sent = seen[1]["body"]["messages"]
    assert len(json.dumps(sent, ensure_ascii=False)) < CONTEXT * CHARS_PER_TOKEN, "within the model's window"
    (asked,) = [c for m in sent if m["role"] == "assistant" for c in m.get("tool_calls") or []]
    assert asked["function"]["name"].startswith("nnn") and asked["id"] == "u"


def test_a_turn_within_the_budget_is_sent_whole() -> None:
    turn = [Message(role="assistant", tool_calls=[ToolCallRequest(id="c", function=FunctionCall(name="t"))]),
            Message(role="tool", tool_call_id="c", content="ok")]  # fmt: skip
    messages = [Message(role="system", content="s"), Message(role="user", content="t"), *turn]
    assert fit(messages, 1_000) == (messages, 0)
    assert sum(message_tokens(m) for m in fit(messages, 1_000)[0]) < 1_000
