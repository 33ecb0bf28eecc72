"""A note the workflow adds after a step (a failed call's reflection, a reply cut off or with too many
calls) reaches the model with the reply and the tool results it is about, however tight the context
budget: kept alone as the latest turn, it told the model of an error it no longer saw."""

from __future__ import annotations

from typing import Any

import pytest

from orchestra.agent.completion import CUT_OFF
from orchestra.agent.context import CUT_ARGUMENTS
from orchestra.agent.models import AgentExecution, AgentLimits
from tests.agent.support import agent_worker, start_agent
from tests.llm_server import Answer, call, completion, done, scripted

BIG = "x" * 6_000  # the failed call's arguments: alone over the context budget
LIMITS = AgentLimits(context_tokens=1000, max_output_tokens=100, max_tool_output_tokens=50)


def _failing(finish_reason: str | None) -> Answer:
    return completion("writing", [call("w1", "write_file", path="../outside.txt", content=BIG)], None, finish_reason)


@pytest.mark.parametrize("finish_reason, note", [(None, "tool call(s) failed"), ("length", CUT_OFF)])
async def test_a_note_reaches_the_model_with_the_error_it_is_about(
    client: Any, task_queue: str, tmp_path: Any, finish_reason: str | None, note: str
) -> None:
    answers = [completion("looking", [call("r0", "read_file", path="missing.txt")]), _failing(finish_reason), done()]
    with scripted(answers) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["write_file", "read_file"], limits=LIMITS)
            record = AgentExecution.model_validate(await handle.result())
    assert record.success and record.steps[1].tool_calls[0].error is not None
    received: list[dict[str, Any]] = seen[2]["body"]["messages"]
    roles = [m["role"] for m in received]
    assert note in (received[-1]["content"] or ""), received[-1]
    asked = next(i for i, m in enumerate(received) if m["role"] == "assistant" and m["tool_calls"][0]["id"] == "w1")
    error = received[asked + 1]
    assert error["role"] == "tool" and error["tool_call_id"] == "w1" and "error" in error["content"], roles
    assert roles[asked + 2 :] == ["user"] * (len(roles) - asked - 2), "only the step's notes follow its results"
    # Alone over the budget, the turn's texts are cut to fit (tests/agent/test_one_huge_turn.py), whole turns kept.
    assert CUT_ARGUMENTS in received[asked]["tool_calls"][0]["function"]["arguments"], "the turn was over budget"
