"""The workflow code that reads a model's reply is bounded by what the reply holds, not only by its number
of calls: a call id as long as the model likes named the call's activity, past Temporal's 1,000-character
id (the command refused, the workflow task retried for ever); and the smart strategy looked through every
call's whole arguments for every other call's id and tool (6 s of one workflow task for a 16 MB reply of 64
calls: the deadlock detector failed it, for ever). Pure parts, and a run on the dev server."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter

from orchestra.agent.coordination import MENTION_CHARS, PlannedCall, schedule
from orchestra.agent.models import MAX_CALL_ID_CHARS, AgentExecution, Strategy
from orchestra.agent.steps import unique_ids
from orchestra.llm.types import FunctionCall, Message, ToolCallRequest
from orchestra.record import StepState
from orchestra.replayers import replayer_without_deadline
from tests.agent.support import agent_worker, start_agent
from tests.llm_server import Answer, call, completion, done, scripted
from workflows.agent import AgentWorkflow


def _reply(*ids: str) -> Message:
    calls = [ToolCallRequest(id=i, function=FunctionCall(name="sleep")) for i in ids]
    return Message(role="assistant", tool_calls=calls)


def test_a_call_id_longer_than_the_bound_is_replaced_and_a_shorter_one_kept():
    kept, long = "k" * MAX_CALL_ID_CHARS, "c" * (MAX_CALL_ID_CHARS + 1)
    ids = [c.id for c in unique_ids(_reply(kept, long, long, "x" * 5000), 3).tool_calls or []]
    assert ids == [kept, "call_3_1", "call_3_2", "call_3_3"]
    assert [c.id for c in unique_ids(_reply(long), 3, None).tool_calls or []] == [long], "as runs before it replay"


def _after(mention_at: int) -> list[list[str]]:
    """The smart lanes of two calls, the second naming the first's id ``mention_at`` characters in."""
    pad: dict[str, Any] = {"pad": "p" * mention_at}
    first = PlannedCall("call_first", "sleep", {"seconds": 0}, side_effects=False)
    second = PlannedCall("call_second", "sleep", {**pad, "after": "call_first"}, side_effects=False)
    return schedule([first, second], Strategy.SMART).stages[0].lanes


def test_the_smart_strategy_reads_a_bounded_start_of_each_calls_arguments():
    assert _after(10) == [["call_first", "call_second"]], "named early: ordered after it"
    assert _after(MENTION_CHARS) == [["call_first"], ["call_second"]], "named past the bound: not looked for"


async def test_a_call_id_past_temporals_id_length_runs_under_the_workflows_own(client, task_queue, tmp_path):
    long_id = "c" * 2000
    answers = [completion("writing", [call(long_id, "write_file", path="a.txt", content="a")]), done()]
    with scripted(answers) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["write_file"])
            record = AgentExecution.model_validate(await asyncio.wait_for(handle.result(), 60))
    (written,) = record.steps[0].tool_calls
    assert written.call_id == "call_1_0" and written.state == StepState.COMPLETED and record.success
    assert (tmp_path / "a.txt").read_text() == "a"
    sent = seen[1]["body"]["messages"]
    asked = [c["id"] for m in sent if m["role"] == "assistant" for c in m.get("tool_calls") or []]
    answered = [m["tool_call_id"] for m in sent if m["role"] == "tool"]
    assert asked == answered == ["call_1_0"], "the model's reply kept with the id its result answers"


HISTORY = Path(__file__).resolve().parents[1] / "histories" / "agent_mention_past_the_bound.json"


def _mention_past_the_bound() -> list[Answer]:
    named_late = "p" * MENTION_CHARS + " then call_first"
    calls = [call("call_first", "write_file", path="a.txt", content="a"),
             call("call_second", "write_file", path="b.txt", content=named_late)]  # fmt: skip
    return [completion("writing", calls), done()]


async def test_a_run_recorded_before_the_bounds_replays_as_it_ran(client, task_queue, tmp_path):
    """Recorded before the patch, the second call ran after the first, which it names past MENTION_CHARS;
    run now, both run at once (two lanes); each replays."""
    with scripted(_mention_past_the_bound()) as (base, _):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["write_file"], strategy=Strategy.SMART)
            await handle.result()
            fresh = await handle.fetch_history()
    if os.environ.get("ORCHESTRA_SAVE_HISTORIES") == "1":
        HISTORY.write_text(fresh.to_json())
    replayer = replayer_without_deadline(workflows=[AgentWorkflow], data_converter=pydantic_data_converter)
    for history in (fresh, WorkflowHistory.from_json(HISTORY.stem, HISTORY.read_text())):
        result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{history.workflow_id}: {result.replay_failure}"
    assert "agent-reply-work-bounded" not in HISTORY.read_text(), "recorded before the patch"
