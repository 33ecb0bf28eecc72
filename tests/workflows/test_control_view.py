"""What a plan run tells about itself while control commands land: the pause/resume updates' answers and
refusals, a running step shown as running everywhere (record, Web UI details, search attributes), and
the plan deadline as one timer for the whole run."""

from __future__ import annotations

import re

import pytest
from temporalio.client import WorkflowExecutionDescription, WorkflowFailureError, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from orchestra import search_attributes as sa
from orchestra.control import PauseRequest
from orchestra.errors import ErrorKind
from orchestra.record import AgentState, ExecutionRecord, StepState
from tests.control_support import GATE_TIMEOUT_S, current_details, gate, until
from tests.helpers import record_of, start_plan, wait_for_step, worker_for
from workflows.orchestration import OrchestrationWorkflow


def held_after(url: str, before: int) -> dict[str, object]:
    """``before`` quick steps in a chain, then ``held`` (at the gate), then ``last``."""
    quick = [{"id": f"q{i}", "tool": "sleep", "args": {"seconds": 0}, **({"depends_on": [f"q{i - 1}"]} if i else {})}
             for i in range(before)]  # fmt: skip
    held = {"id": "held", "tool": "http_request", "args": {"url": url, "timeout_s": 2 * GATE_TIMEOUT_S},
            "retry": {"max_attempts": 1}, "heartbeat_timeout_s": 2,
            **({"depends_on": [f"q{before - 1}"]} if before else {})}  # fmt: skip
    last = {"id": "last", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["held"]}
    return {"name": "held", "nodes": [*quick, held, last]}


async def test_pause_and_resume_updates_answer_with_the_state_or_say_why_not(client, task_queue, tmp_path):
    with gate() as (url, released):
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, held_after(url, 0))
            await wait_for_step(handle, "held", {StepState.CALLING_TOOL})
            with pytest.raises(WorkflowUpdateFailedError) as not_paused:
                await handle.execute_update(OrchestrationWorkflow.resume_run)
            assert "not paused" in str(not_paused.value.cause)

            answer = await handle.execute_update(OrchestrationWorkflow.pause_run, PauseRequest(reason="window"))
            assert (answer.state, answer.paused, answer.pause_reason, answer.in_flight) == (
                AgentState.PAUSED, True, "window", 1)  # fmt: skip
            assert "1 running step finishes" in answer.message
            with pytest.raises(WorkflowUpdateFailedError) as twice:
                await handle.execute_update(OrchestrationWorkflow.pause_run, PauseRequest(reason="again"))
            assert "already paused" in str(twice.value.cause) and "window" in str(twice.value.cause)

            released.set()
            held = await wait_for_step(handle, "held", {StepState.COMPLETED})
            assert held.state == AgentState.PAUSED and held.paused_at is not None
            assert held.step("last").state == StepState.PENDING
            answer = await handle.execute_update(OrchestrationWorkflow.resume_run)
            assert (answer.state, answer.paused, answer.pause_reason) == (AgentState.RUNNING, False, None)
            final = ExecutionRecord.model_validate(await handle.result())
    assert final.state == AgentState.COMPLETED and final.step("last").state == StepState.COMPLETED


async def test_a_running_step_is_shown_running_in_the_record_the_ui_and_the_search_attributes(
    client, task_queue, tmp_path
):
    with gate() as (url, released):
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, held_after(url, 2))
            record = await wait_for_step(handle, "held", {StepState.CALLING_TOOL})
            m = record.metrics
            assert (m.completed, m.running, m.pending, m.tool_call_count) == (2, 1, 1, 3)
            details = await current_details(handle)
            assert "2 of 4 steps done · 1 running · 1 pending" in details, details
            assert re.search(r"^\| `held` +\| `http_request` \| ▶ calling_tool \| +1 \| since ", details, re.M), details

            def counted(described: WorkflowExecutionDescription) -> bool:
                return described.typed_search_attributes.get(sa.TOOL_CALLS) == 3

            await until(handle.describe, counted)
            released.set()
            await handle.result()


async def test_the_plan_deadline_is_one_timer_for_the_whole_run(client, task_queue, tmp_path):
    chain = [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, **({"depends_on": [f"s{i - 1}"]} if i else {})}
             for i in range(5)]  # fmt: skip
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, {"name": "deadline", "timeout_s": 600, "nodes": chain})
        await handle.result()
        history = await handle.fetch_history()
    summaries = {e.event_id: e.user_metadata.summary.data
                 for e in history.events if e.HasField("timer_started_event_attributes")}  # fmt: skip
    assert list(summaries.values()).count(b'"plan deadline"') == 1, summaries
    cancelled = [summaries[e.timer_canceled_event_attributes.started_event_id]
                 for e in history.events if e.HasField("timer_canceled_event_attributes")]  # fmt: skip
    assert cancelled.count(b'"plan deadline"') <= 1, "the deadline is cancelled once, when the run ends before it"


async def test_the_plan_deadline_stops_the_run_and_keeps_what_finished(client, task_queue, tmp_path):
    with gate() as (url, _never_released):
        async with worker_for(client, task_queue, tmp_path):
            plan = {**held_after(url, 1), "timeout_s": 3}
            handle = await start_plan(client, task_queue, plan)
            with pytest.raises(WorkflowFailureError) as failure:
                await handle.result()
            record = await record_of(handle)
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == ErrorKind.TIMEOUT and "deadline" in cause.message
    assert record.state == AgentState.ERROR and record.error is not None and record.error.type == ErrorKind.TIMEOUT
    assert record.step("q0").state == StepState.COMPLETED
    assert {record.step(n).state for n in ("held", "last")} == {StepState.CANCELLED}
