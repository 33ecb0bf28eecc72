"""A call id holding what a terminal acts on or a screen hides (ESC, BEL, a bidi override, a line break) is
replaced by the workflow's own, as a too-long one is: the id named the call's activity (``step-1.<id>``),
which `temporal workflow describe` lists raw among the pending activities (a link, a screen clear) and the
Web UI shows reordered; and each view and message naming the call had to escape it. Real HTTP on loopback,
the run on the dev server, and a run recorded before the change replays as it ran."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter

from orchestra.agent.models import AgentExecution
from orchestra.agent.steps import unique_ids
from orchestra.llm.types import FunctionCall, Message, ToolCallRequest
from orchestra.record import StepState
from orchestra.replayers import replayer_without_deadline
from tests.agent.support import agent_worker, start_agent
from tests.llm_server import Answer, call, completion, done, scripted
from workflows.agent import AgentWorkflow

LINK = "w\x1b]8;;http://evil.example/\x07click\x1b]8;;\x07"
UNPRINTABLE = [LINK, "a\u202eb", "line\nbreak", "nul\x00", "zero\u200bwidth", "del\x7f"]
HISTORY = Path(__file__).resolve().parents[1] / "histories" / "agent_unprintable_call_id.json"
PATCH = "agent-call-ids-printable"


def _reply(*ids: str) -> Message:
    return Message(role="assistant", tool_calls=[ToolCallRequest(id=i, function=FunctionCall(name="t")) for i in ids])


@pytest.mark.parametrize("hostile", UNPRINTABLE)
def test_an_unprintable_call_id_is_replaced_and_a_printable_one_kept(hostile: str) -> None:
    ids = [c.id for c in unique_ids(_reply(hostile, "call_ok", "with space"), 3).tool_calls or []]
    assert ids == ["call_3_0", "call_ok", "with space"]


def test_a_reply_recorded_before_the_change_keeps_its_ids() -> None:
    ids = [c.id for c in unique_ids(_reply(LINK), 3, printable_only=False).tool_calls or []]
    assert ids == [LINK]


def _answers() -> list[Answer]:
    return [completion("writing", [call(LINK, "write_file", path="a.txt", content="a")]), done()]


async def test_a_run_names_its_call_and_activity_by_the_workflows_own_id(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    with scripted(_answers()) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["write_file"])
            record = AgentExecution.model_validate(await asyncio.wait_for(handle.result(), 60))
            history = await handle.fetch_history()
    (written,) = record.steps[0].tool_calls
    assert written.call_id == "call_1_0" and written.state == StepState.COMPLETED and record.success
    activity_ids = [
        e.activity_task_scheduled_event_attributes.activity_id
        for e in history.events
        if e.HasField("activity_task_scheduled_event_attributes")
    ]
    assert "step-1.call_1_0" in activity_ids and all(i.isprintable() for i in activity_ids), activity_ids
    sent = seen[1]["body"]["messages"]
    asked = [c["id"] for m in sent if m["role"] == "assistant" for c in m.get("tool_calls") or []]
    answered = [m["tool_call_id"] for m in sent if m["role"] == "tool"]
    assert asked == answered == ["call_1_0"], "the model's reply kept with the id its result answers"


async def test_a_run_recorded_before_the_change_replays_as_it_ran(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    with scripted(_answers()) as (base, _):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["write_file"])
            await handle.result()
            fresh = await handle.fetch_history()
    if os.environ.get("ORCHESTRA_SAVE_HISTORIES") == "1":
        HISTORY.write_text(fresh.to_json())
    recorded = WorkflowHistory.from_json(HISTORY.stem, HISTORY.read_text())
    replayer = replayer_without_deadline(workflows=[AgentWorkflow], data_converter=pydantic_data_converter)
    for history in (fresh, recorded):
        result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{history.workflow_id}: {result.replay_failure}"
    assert PATCH not in HISTORY.read_text() and json.dumps(LINK)[1:-1] in HISTORY.read_text(), "recorded before"
