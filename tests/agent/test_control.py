"""Approvals (accepted, rejected, timed out), and cancelling a run mid-step."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from temporalio.api.sdk.v1 import WorkflowMetadata
from temporalio.client import (
    Client,
    WorkflowFailureError,
    WorkflowHandle,
    WorkflowUpdateFailedError,
)
from temporalio.exceptions import CancelledError

from orchestra.agent.models import AgentExecution, AgentLimits, ApprovalDecision, ApprovalStatus
from orchestra.record import AgentState, StepState
from tests.agent.support import agent_worker, record_of, registry_with_deploy, registry_with_hold, start_agent, wait_for
from tests.control_support import (
    cancel_what_finished_while_paused,
    has_event,
    history_until,
    reacted_to_completion,
    scheduled_activity_ids,
)
from tests.llm_server import call, completion, done, scripted
from workflows.agent import AgentWorkflow

Decide = Callable[[WorkflowHandle[Any, Any]], Awaitable[None]]


def waiting(record: AgentExecution) -> bool:
    return bool(record.waiting_approvals())


async def _approval_run(
    client: Client, task_queue: str, tmp_path: Path, decide: Decide, **limits: Any
) -> tuple[AgentExecution, list[dict[str, Any]]]:
    answers = [completion("deploying", [call("d1", "deploy", target="prod")]), done()]
    with scripted(answers) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base, registry_with_deploy()):
            handle = await start_agent(client, task_queue, tools=["deploy"], limits=AgentLimits(**limits))
            await decide(handle)
            record = AgentExecution.model_validate(await handle.result())
    return record, seen


async def test_an_approved_call_runs_and_the_wait_is_visible(client, task_queue, tmp_path):
    async def decide(handle):
        await wait_for(handle, waiting)
        meta = await handle.query("__temporal_workflow_metadata", result_type=WorkflowMetadata)
        assert "waiting for approval" in meta.current_details and "d1" in meta.current_details
        with pytest.raises(WorkflowUpdateFailedError):
            await handle.execute_update(AgentWorkflow.approve, ApprovalDecision(call_id="nope"))
        decided = await handle.execute_update(AgentWorkflow.approve, ApprovalDecision(call_id="d1", reason="ok"))
        assert decided == ["d1"]

    record, _ = await _approval_run(client, task_queue, tmp_path, decide)
    deploy = record.steps[0].tool_calls[0]
    assert deploy.approval is not None
    assert deploy.approval is not None and deploy.approval.status == ApprovalStatus.APPROVED
    assert deploy.state == StepState.COMPLETED and "prod" in (deploy.result or "")


async def test_a_rejected_call_does_not_run_and_the_model_is_told(client, task_queue, tmp_path):
    async def decide(handle):
        await wait_for(handle, waiting)
        await handle.execute_update(AgentWorkflow.reject, ApprovalDecision(reason="not on a Friday"))

    record, seen = await _approval_run(client, task_queue, tmp_path, decide)
    deploy = record.steps[0].tool_calls[0]
    assert deploy.approval is not None
    assert deploy.approval.status == ApprovalStatus.REJECTED and deploy.state == StepState.SKIPPED
    told = next(m for m in seen[1]["body"]["messages"] if m["role"] == "tool")
    assert "rejected" in told["content"] and "not on a Friday" in told["content"]


@pytest.mark.parametrize("default", ["reject", "approve"])
async def test_an_approval_times_out_to_its_default(client, task_queue, tmp_path, default):
    async def decide(handle):
        pass

    record, _ = await _approval_run(
        client, task_queue, tmp_path, decide, approval_timeout_s=1, approval_default=default
    )
    deploy = record.steps[0].tool_calls[0]
    assert deploy.approval is not None
    if default == "reject":
        assert deploy.approval.status == ApprovalStatus.TIMED_OUT_REJECTED and deploy.state == StepState.SKIPPED
    else:
        assert deploy.approval.status == ApprovalStatus.TIMED_OUT_APPROVED and deploy.state == StepState.COMPLETED


async def test_cancel_during_a_tool_call(client, task_queue, tmp_path):
    answers = [completion("waiting", [call("long", "sleep", seconds=60)]), done()]
    with scripted(answers) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["sleep"])
            await wait_for(handle, lambda r: bool(r.steps and r.steps[0].tool_calls
                                                  and r.steps[0].tool_calls[0].state == StepState.CALLING_TOOL))  # fmt: skip
            await handle.cancel()
            with pytest.raises(WorkflowFailureError) as failure:
                await handle.result()
            record = await record_of(handle)
    assert isinstance(failure.value.cause, CancelledError)
    assert record.state == AgentState.CANCELLED and not record.success
    assert record.steps[0].state == StepState.CANCELLED
    assert record.steps[0].tool_calls[0].state == StepState.CANCELLED
    assert len(seen) == 1, "no model step after the cancel"


async def test_cancel_while_the_model_is_thinking(client, task_queue, tmp_path):
    with scripted([done()], delay_s=60) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["sleep"])
            await wait_for(handle, lambda r: bool(r.steps) and len(seen) == 1)
            await handle.cancel()
            with pytest.raises(WorkflowFailureError):
                await handle.result()
            record = await record_of(handle)
    assert record.state == AgentState.CANCELLED and record.steps[0].state == StepState.CANCELLED


async def test_pause_holds_the_next_model_step_until_resume(client, task_queue, tmp_path):
    released = asyncio.Event()
    answers = [completion("one", [call("h", "hold")]), done()]
    with scripted(answers) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base, registry_with_hold(released)):
            handle = await start_agent(client, task_queue, tools=["hold"])
            await wait_for(handle, lambda r: bool(r.steps and r.steps[0].tool_calls
                                                  and r.steps[0].tool_calls[0].state == StepState.CALLING_TOOL))  # fmt: skip
            await handle.signal(AgentWorkflow.pause, "lunch")
            landed = await wait_for(handle, lambda r: r.paused)
            hold = landed.steps[0].tool_calls[0]
            assert hold.state == StepState.CALLING_TOOL, "the pause landed while the call was still running"
            released.set()
            history = await history_until(handle, reacted_to_completion(f"step-1.{hold.call_id}"))
            assert "step-2.llm" not in scheduled_activity_ids(history), "no new model step while paused"
            held = await wait_for(handle, lambda r: r.steps[0].state == StepState.COMPLETED)
            assert held.state == AgentState.PAUSED and held.paused and held.pause_reason == "lunch"
            assert len(seen) == 1 and len(held.steps) == 1, "no new step while paused"
            await handle.signal(AgentWorkflow.resume)
            record = AgentExecution.model_validate(await handle.result())
    assert record.success and not record.paused and len(seen) == 2
    assert record.steps[0].tool_calls[0].state == StepState.COMPLETED


async def test_a_model_reply_that_arrives_after_the_cancel_is_not_acted_on(client, task_queue, tmp_path):
    """The model answers after the cancel request reached the workflow but before the model call heard of
    it (heartbeats are throttled): the run must stop there, not run the reply's calls."""
    answer_now = threading.Event()
    answers = [completion("writing", [call("w", "write_file", path="late.txt", content="late")]), done()]
    with scripted(answers, hold=answer_now) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["write_file"])
            await wait_for(handle, lambda r: bool(r.steps) and len(seen) == 1)
            await handle.cancel()
            await history_until(handle, has_event("activity_task_cancel_requested"))
            answer_now.set()
            with pytest.raises(WorkflowFailureError) as failure:
                await handle.result()
            record = await record_of(handle)
    assert isinstance(failure.value.cause, CancelledError)
    assert not (tmp_path / "late.txt").exists(), "a call ran after the cancel"
    assert record.state == AgentState.CANCELLED and len(seen) == 1
    assert [c.state for c in record.steps[0].tool_calls] == [StepState.CANCELLED]


async def test_cancel_keeps_a_call_that_finished_in_the_same_workflow_task(client, task_queue, tmp_path):
    released = asyncio.Event()
    answers = [completion("one", [call("h", "hold")]), done()]
    with scripted(answers) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base, registry_with_hold(released)):
            handle = await start_agent(client, task_queue, tools=["hold"])
            await cancel_what_finished_while_paused(client, handle, released.set, "step-1.h")
            with pytest.raises(WorkflowFailureError):
                await handle.result()
            record = await record_of(handle)
    hold = record.steps[0].tool_calls[0]
    assert hold.state == StepState.COMPLETED and "released" in (hold.result or ""), hold
    assert record.state == AgentState.CANCELLED and len(seen) == 1


async def test_a_call_id_the_model_chose_reaches_the_web_ui_escaped(client, task_queue, tmp_path):
    """The model names its calls: an id holding a bidi override was the summary of the approval's timer in
    the Web UI as written, so ``d1`` U+202E ``txt.exe`` read reversed. Such an id is now replaced by the run's
    own (tests/agent/test_unprintable_call_ids.py), and every view escapes what is left (orchestra/text.py)."""
    call_id = "d1\u202etxt.exe"
    answers = [completion("deploying", [call(call_id, "deploy", target="prod")]), done()]
    with scripted(answers) as (base, _):
        async with agent_worker(client, task_queue, tmp_path, base, registry_with_deploy()):
            handle = await start_agent(client, task_queue, tools=["deploy"])
            await wait_for(handle, waiting)
            meta = await handle.query("__temporal_workflow_metadata", result_type=WorkflowMetadata)
            history = await handle.fetch_history()
            await handle.execute_update(AgentWorkflow.approve, ApprovalDecision(call_id="call_1_0"))
            record = AgentExecution.model_validate(await handle.result())
    timers = [e.user_metadata.summary.data for e in history.events if e.HasField("timer_started_event_attributes")]
    approval = [summary for summary in timers if summary.startswith(b'"approval of')]
    assert approval == [b'"approval of deploy (call_1_0)"'], timers
    assert "\u202e" not in meta.current_details and "call_1_0" in meta.current_details
    assert record.steps[0].tool_calls[0].state == StepState.COMPLETED
