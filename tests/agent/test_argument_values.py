"""A reply's tool-call arguments are read by the model step's activity, bounded, not walked by workflow
code: 4 MB of ``[0,0,...]`` in one call's arguments took 15 s of one workflow task (each value visited in
Python for half surrogate pairs and nesting), which the deadlock detector failed and retried for ever, the
run hung. Now a reply's calls may hold MAX_ARGUMENT_VALUES values in all; a call past it is answered with
why, and the run goes on. Pure parts, and runs on the dev server."""

from __future__ import annotations

import asyncio
import json

from orchestra.agent.arguments import MAX_ARGUMENT_VALUES, checked_arguments
from orchestra.agent.models import AgentExecution
from orchestra.llm.types import FunctionCall, Message, ToolCallRequest
from orchestra.record import StepState
from tests.agent.support import agent_worker, start_agent
from tests.llm_server import call, completion, done, scripted


def _wide(count: int, item: str = "0") -> str:
    return '{"path": "big.json", "content": "x", "pad": [' + ",".join([item] * count) + "]}"


def _reply(*arguments: str) -> Message:
    calls = [ToolCallRequest(id=f"c{i}", function=FunctionCall(name="write_file", arguments=a))
             for i, a in enumerate(arguments)]  # fmt: skip
    return Message(role="assistant", tool_calls=calls)


def test_the_values_of_a_replys_arguments_are_counted_over_all_its_calls():
    half = _wide(MAX_ARGUMENT_VALUES // 2)
    message, problems = checked_arguments(_reply(half, half, '{"path": "a"}'))
    assert set(problems) == {"1"} and f"more than {MAX_ARGUMENT_VALUES:,} JSON values" in problems["1"]
    calls = message.tool_calls or []
    assert json.loads(calls[0].function.arguments)["path"] == "big.json", "within the bound: runs"
    assert calls[1].function.arguments == half, "past it: kept as the model wrote it, and answered"
    assert json.loads(calls[2].function.arguments) == {"path": "a"}, "what is left of the bound is the next call's"


def test_arguments_are_handed_on_as_plain_json_or_with_why_not():
    deep = '{"a": ' + "[" * 70 + "]" * 70 + "}"
    odd = '{"path": "a.txt", "content": "x\\udfffy \\u00e9"}'
    message, problems = checked_arguments(_reply(odd, "[1]", "{nope", deep, "[" * 100_000))
    assert json.loads((message.tool_calls or [])[0].function.arguments)["content"] == "x\ufffdy \u00e9"
    assert problems == {
        "1": "the arguments must be a JSON object",
        "2": problems["2"],
        "3": "the arguments are nested deeper than 64 levels",
        "4": problems["4"],
    }
    assert "not valid JSON" in problems["2"] and "not valid JSON" in problems["4"]


async def test_a_call_with_millions_of_values_is_answered_and_the_run_goes_on(client, task_queue, tmp_path):
    answers = [
        completion("writing", [call("w", "write_file", path="small.txt", content="ok"),
                               {"id": "big", "type": "function",
                                "function": {"name": "write_file", "arguments": _wide(1_000_000, "{}")}}]),
        done("wrote the small one"),
    ]  # fmt: skip
    with scripted(answers) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["write_file"])
            record = AgentExecution.model_validate(await asyncio.wait_for(handle.result(), 90))

    small, big = record.steps[0].tool_calls
    assert small.state == StepState.COMPLETED and (tmp_path / "small.txt").read_text() == "ok"
    assert big.state == StepState.ERROR and "JSON values in all" in (big.result or "")
    assert not (tmp_path / "big.json").exists()
    assert "pass large data by reference" in (big.result or "")
    assert "write_file (big)" in seen[1]["body"]["messages"][-1]["content"], "the model is told the call failed"
    assert record.success and record.final_result == "wrote the small one"
