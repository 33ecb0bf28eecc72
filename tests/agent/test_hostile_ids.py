"""What the model chose (its call ids, its tools' names) and what its endpoint sent, in messages that reach a
terminal unfiltered: an update's refusal (`temporal workflow update`, the Web UI), a run's failure. Each id is
cut, escaped and quoted as a shell reads it; a terminal sequence (ESC, BEL, a bidi override) never goes out
as itself. The refusal is checked on the real dev server, from an agent run whose model is on loopback."""

from __future__ import annotations

import shlex
from datetime import UTC, datetime
from typing import Any

import pytest
from temporalio.client import WorkflowUpdateFailedError

from orchestra.agent import steps
from orchestra.agent.models import (
    AgentExecution,
    AgentStep,
    AgentToolCall,
    Approval,
    ApprovalDecision,
    Strategy,
    ToolInfo,
)
from orchestra.llm.errors import error_for_status
from orchestra.record import StepState
from orchestra.shown_ids import SHOWN
from tests.agent.support import agent_worker, registry_with_deploy, start_agent, wait_for
from tests.llm_server import call, completion, done, scripted

NOW = datetime(2026, 1, 1, tzinfo=UTC)
LINK = "\x1b]8;;http://evil.example/\x07click\x1b]8;;\x07"
HOSTILE = [LINK, "d1; touch pwned", "$(rm -rf ~)", "it's", "a\u202eb", "x" * 128, "line\nbreak"]
RAW = ("\x1b", "\x07", "\u202e", "\n")


def _waiting(ids: list[str]) -> AgentExecution:
    record = AgentExecution(id="agent-x", run_id="r", task="t", system_prompt="s", started_at=NOW,
                            strategy=Strategy.SEQUENTIAL, continue_on_error=True)  # fmt: skip
    calls = [AgentToolCall(call_id=i, tool="deploy", arguments="{}", approval=Approval(requested_at=NOW)) for i in ids]
    record.steps.append(AgentStep(number=1, started_at=NOW, tool_calls=calls))
    return record


def _refusal(record: AgentExecution, call_id: str | None) -> str:
    with pytest.raises(ValueError) as refused:
        steps.waiting_for(record, ApprovalDecision(call_id=call_id))
    return str(refused.value)


@pytest.mark.parametrize("asked", [*HOSTILE, "y" * 1_000])
def test_a_refusal_names_each_call_id_cut_escaped_and_quoted(asked: str) -> None:
    said = _refusal(_waiting(HOSTILE), asked + " (not waiting)")
    assert not any(raw in said for raw in RAW), said
    waiting = said[said.index("(waiting: ") + len("(waiting: ") : -1]
    for shown in ("'d1; touch pwned'", "'$(rm -rf ~)'", shlex.quote("it's"), "a\\u202eb", "line\\u000abreak"):
        assert shown in waiting, (shown, waiting)
    assert "'\\u001b]8;;http://evil.example/\\u0007click\\u001b]8;;\\u0007'" in waiting, waiting
    assert "x" * 128 not in said and "(128 characters)" in said
    assert len(said) < 600, "the asked id is cut too"


def test_an_unknown_tool_of_any_length_is_answered_in_bounded_words() -> None:
    tool = "t\x1b[2J" + "n" * 1_000_000
    step = AgentStep(number=1, started_at=NOW, tool_calls=[AgentToolCall(call_id="c", tool=tool, arguments="{}")])
    info = ToolInfo(name="read_file", function_name="read_file", description="", parameters={})
    assert steps.prepare_calls(step, {"read_file": info}) == []
    said = step.tool_calls[0].result or ""
    assert step.tool_calls[0].state == StepState.ERROR and len(said) < 300 and "\x1b" not in said, said[:300]


def test_an_endpoint_error_quotes_no_terminal_sequence() -> None:
    said = str(error_for_status(400, f"bad request {LINK} \u202eevil", None))
    assert not any(raw in said for raw in RAW) and "\\u001b]8;;http://evil.example/" in said, said


async def test_the_run_refuses_a_decision_with_the_model_s_ids_escaped(
    client: Any, task_queue: str, tmp_path: Any
) -> None:
    answers = [completion("deploying", [call(LINK, "deploy", target="prod"), call("y" * SHOWN * 2, "deploy")]),
               done()]  # fmt: skip
    with scripted(answers) as (base, _):
        async with agent_worker(client, task_queue, tmp_path, base, registry_with_deploy()):
            handle = await start_agent(client, task_queue, task="deploy", tools=["deploy"])
            await wait_for(handle, lambda r: len(r.waiting_approvals()) == 2)
            with pytest.raises(WorkflowUpdateFailedError) as refused:
                await handle.execute_update("approve", ApprovalDecision(call_id="nope\x1b[2J"))
            await handle.terminate()
    said = str(getattr(refused.value.cause, "message", refused.value.cause))
    assert "is waiting for approval" in said and not any(raw in said for raw in RAW), said
    # The model's unprintable id is replaced by the run's own (tests/agent/test_unprintable_call_ids.py).
    assert "call_1_0" in said and "evil.example" not in said and "(120 characters)" in said, said
    assert "no call 'nope\\u001b[2J'" in said, said
