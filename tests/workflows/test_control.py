"""Pause (cooperative and native), cancel, and a worker killed mid-run, on a real dev server.

No test leans on a step being slow enough: a step that must still be running is an HTTP call to a
loopback handler held until the test releases it, and "nothing new started" is read from the history
once the workflow has provably reacted to the step's completion.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import CancelledError

from orchestra.record import AgentState, ExecutionRecord, StepState
from tests.control_support import (
    GATE_TIMEOUT_S,
    PAUSED_STATUS,
    attempts_started,
    cancel_what_finished_while_paused,
    completed_event_id,
    gate,
    history_until,
    native_pause,
    native_status,
    native_unpause,
    reacted_to_completion,
    scheduled_activity_ids,
    until,
)
from tests.helpers import host_rule, record_of, span, start_plan, wait_for_step, worker_for
from tests.security.support import kill_worker, ready, spawn_worker, stop
from workflows.orchestration import OrchestrationWorkflow


def two_steps(url: str) -> dict[str, Any]:
    return {
        "name": "two-steps",
        "nodes": [
            {"id": "first", "tool": "http_request", "args": {"url": url, "timeout_s": 2 * GATE_TIMEOUT_S},
             "retry": {"max_attempts": 1}},
            {"id": "second", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["first"]},
        ],
    }  # fmt: skip


async def test_cooperative_pause_holds_new_steps_until_resume(client, task_queue, tmp_path):
    with gate() as (url, released):
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, two_steps(url))
            await wait_for_step(handle, "first", {StepState.CALLING_TOOL})
            await handle.signal(OrchestrationWorkflow.pause, "maintenance window")
            landed = await until(lambda: record_of(handle), lambda r: r.paused)
            assert landed.step("first").state == StepState.CALLING_TOOL, "held at the gate: still running"
            released.set()
            history = await history_until(handle, reacted_to_completion("first"))
            assert scheduled_activity_ids(history) == ["first"], "no new step may start while paused"
            held = await wait_for_step(handle, "first", {StepState.COMPLETED})
            assert held.state == AgentState.PAUSED and held.paused and held.pause_reason == "maintenance window"
            assert held.step("second").state == StepState.PENDING
            resumed_at = datetime.now(UTC)
            await handle.signal(OrchestrationWorkflow.resume)
            final = ExecutionRecord.model_validate(await handle.result())
    assert final.state == AgentState.COMPLETED and not final.paused
    assert span(final.step("second"))[0] >= resumed_at


async def test_native_pause_holds_new_steps_until_unpause(client, task_queue, tmp_path):
    with gate() as (url, released):
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, two_steps(url))
            await wait_for_step(handle, "first", {StepState.CALLING_TOOL})
            await native_pause(client, handle.id)
            released.set()
            history = await history_until(handle, lambda h: completed_event_id(h, "first") is not None)
            done = completed_event_id(history, "first")
            assert done is not None
            assert any(
                e.event_id < done and e.HasField("workflow_execution_paused_event_attributes") for e in history.events
            ), "the pause landed while first was still running"
            # Unpaused, the completion would have scheduled a workflow task in the same write.
            after = [e for e in history.events if e.event_id > done]
            assert not any(e.HasField("workflow_task_scheduled_event_attributes") for e in after)
            assert scheduled_activity_ids(history) == ["first"], "second must not be scheduled while paused"
            assert await native_status(client, handle.id) == PAUSED_STATUS
            unpaused_at = datetime.now(UTC)
            await native_unpause(client, handle.id)
            final = ExecutionRecord.model_validate(await handle.result())
    assert final.state == AgentState.COMPLETED
    assert span(final.step("second"))[0] >= unpaused_at


async def test_cancel_keeps_finished_results(client, task_queue, tmp_path):
    plan = {
        "name": "cancel-me",
        "nodes": [
            {"id": "made", "tool": "write_file", "args": {"path": "kept.txt", "content": "kept"}},
            {"id": "slow", "tool": "sleep", "args": {"seconds": 60}, "depends_on": ["made"]},
            {"id": "also_slow", "tool": "sleep", "args": {"seconds": 60}},
            {"id": "never", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["slow"]},
        ],
    }
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, plan)
        await wait_for_step(handle, "slow", {StepState.CALLING_TOOL})
        await handle.cancel()
        with pytest.raises(WorkflowFailureError) as failure:
            await handle.result()
        assert isinstance(failure.value.cause, CancelledError)
        record = await record_of(handle)
    assert record.state == AgentState.CANCELLED and not record.success
    assert record.step("made").state == StepState.COMPLETED
    assert record.step("made").output["path"].endswith("kept.txt")
    assert {record.step(n).state for n in ("slow", "also_slow", "never")} == {StepState.CANCELLED}
    assert (tmp_path / "kept.txt").read_text() == "kept"


def gated_pair(url: str) -> dict[str, Any]:
    held = {"tool": "http_request", "retry": {"max_attempts": 1}}
    return {
        "name": "gated-pair",
        "nodes": [
            {"id": "left", **held, "args": {"url": f"{url}/left", "timeout_s": 2 * GATE_TIMEOUT_S}},
            {"id": "right", **held, "args": {"url": f"{url}/right", "timeout_s": 2 * GATE_TIMEOUT_S}},
            {"id": "after", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["left", "right"]},
        ],
    }


async def test_cancel_keeps_steps_that_finished_in_the_same_workflow_task(client, task_queue, tmp_path):
    """Natively paused, both running steps finish; the run is cancelled, then unpaused: the workflow sees
    the two completions and the cancel request in one workflow task. What finished keeps its output."""
    with gate() as (url, released):
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, gated_pair(url))
            await cancel_what_finished_while_paused(client, handle, released.set, "left", "right")
            with pytest.raises(WorkflowFailureError) as failure:
                await handle.result()
            record = await record_of(handle)
            history = await handle.fetch_history()
    assert isinstance(failure.value.cause, CancelledError)
    assert record.state == AgentState.CANCELLED
    for node in ("left", "right"):
        step = record.step(node)
        assert step.state == StepState.COMPLETED and step.output["json"] == {"released": True}, step
    assert record.step("after").state == StepState.CANCELLED
    assert "after" not in scheduled_activity_ids(history)


async def start_worker_process(
    client: Client, task_queue: str, workspace: Path, allowed_hosts: str = ""
) -> subprocess.Popen[str]:
    process = spawn_worker(client, task_queue, workspace, ORCHESTRA_ALLOWED_HOSTS=allowed_hosts)
    try:
        await ready(process)
    except BaseException:
        stop(process, signal.SIGKILL)  # also ends a readline still waiting in its thread
        raise
    return process


async def test_killed_worker_is_replaced_and_completed_steps_do_not_rerun(client, task_queue, tmp_path):
    with gate() as (url, released):
        plan = {
            "name": "survive",
            "nodes": [
                {"id": "before", "tool": "write_file",
                 "args": {"path": "log.txt", "content": "before\n", "mode": "append"}},
                # Held at the gate until the first worker is dead: its attempt cannot finish there.
                {"id": "long", "tool": "http_request", "args": {"url": url, "timeout_s": 2 * GATE_TIMEOUT_S},
                 "depends_on": ["before"], "heartbeat_timeout_s": 2,
                 "retry": {"max_attempts": 10, "initial_interval_s": 0.1}},
                {"id": "after", "tool": "write_file",
                 "args": {"path": "log.txt", "content": "after\n", "mode": "append"}, "depends_on": ["long"]},
            ],
        }  # fmt: skip
        first = await start_worker_process(client, task_queue, tmp_path, host_rule(url))
        try:
            handle = await start_plan(client, task_queue, plan)
            # Started (picked up by the worker), not only scheduled, before the worker dies.
            await until(handle.describe, attempts_started("long"))
        except BaseException:
            stop(first, signal.SIGKILL)
            raise
        await kill_worker(client, first, handle.id)
        killed_at = time.time()
        released.set()
        second = await start_worker_process(client, task_queue, tmp_path, host_rule(url))
        try:
            final = ExecutionRecord.model_validate(await asyncio.wait_for(handle.result(), 120))
            history = await handle.fetch_history()
        finally:
            stop(second)
    assert final.state == AgentState.COMPLETED
    assert (tmp_path / "log.txt").read_text() == "before\nafter\n", "the finished step ran exactly once"
    assert scheduled_activity_ids(history).count("before") == 1
    assert final.step("long").attempts >= 2, "the interrupted step was retried on the new worker"
    assert span(final.step("long"))[0].timestamp() >= killed_at
