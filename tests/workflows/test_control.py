"""Pause (cooperative and native), cancel, and a worker killed mid-run, on a real dev server."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import (
    DescribeWorkflowExecutionRequest,
    PauseWorkflowExecutionRequest,
    UnpauseWorkflowExecutionRequest,
)
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import CancelledError

from orchestra.record import AgentState, ExecutionRecord, StepState
from tests.helpers import record_of, span, start_plan, wait_for_step, worker_for
from workflows.orchestration import OrchestrationWorkflow

ROOT = Path(__file__).resolve().parents[2]
PAUSED_STATUS = 8  # WORKFLOW_EXECUTION_STATUS_PAUSED; the SDK's enum does not know it yet

TWO_STEPS = {
    "name": "two-steps",
    "nodes": [
        {"id": "first", "tool": "sleep", "args": {"seconds": 1.5}},
        {"id": "second", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["first"]},
    ],
}


def scheduled_activity_ids(history) -> list[str]:
    return [
        e.activity_task_scheduled_event_attributes.activity_id
        for e in history.events
        if e.HasField("activity_task_scheduled_event_attributes")
    ]


async def test_cooperative_pause_holds_new_steps_until_resume(client, task_queue, tmp_path):
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, TWO_STEPS)
        await wait_for_step(handle, "first", {StepState.CALLING_TOOL})
        await handle.signal(OrchestrationWorkflow.pause, "maintenance window")
        record = await wait_for_step(handle, "first", {StepState.COMPLETED})
        assert record.state == AgentState.PAUSED and record.paused and record.pause_reason == "maintenance window"
        await asyncio.sleep(1.5)
        held = await record_of(handle)
        assert held.step("second").state == StepState.PENDING, "no new step may start while paused"
        resumed_at = datetime.now(UTC)
        await handle.signal(OrchestrationWorkflow.resume)
        final = ExecutionRecord.model_validate(await handle.result())
    assert final.state == AgentState.COMPLETED and not final.paused
    assert span(final.step("second"))[0] >= resumed_at


async def test_native_pause_holds_new_steps_until_unpause(client, task_queue, tmp_path):
    service, namespace = client.workflow_service, client.namespace
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, TWO_STEPS)
        await wait_for_step(handle, "first", {StepState.CALLING_TOOL})
        await service.pause_workflow_execution(
            PauseWorkflowExecutionRequest(
                namespace=namespace, workflow_id=handle.id, reason="test", identity="test", request_id=str(uuid.uuid4())
            )
        )
        await asyncio.sleep(3)  # first (1.5 s) finishes meanwhile; second must not be scheduled
        described = await service.describe_workflow_execution(
            DescribeWorkflowExecutionRequest(namespace=namespace, execution=WorkflowExecution(workflow_id=handle.id))
        )
        assert described.workflow_execution_info.status == PAUSED_STATUS
        assert scheduled_activity_ids(await handle.fetch_history()) == ["first"]
        unpaused_at = datetime.now(UTC)
        await service.unpause_workflow_execution(
            UnpauseWorkflowExecutionRequest(
                namespace=namespace, workflow_id=handle.id, reason="test", identity="test", request_id=str(uuid.uuid4())
            )
        )
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


def start_worker_process(client: Client, task_queue: str, workspace: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "TEMPORAL_ADDRESS": client.service_client.config.target_host,
        "ORCHESTRA_TASK_QUEUE": task_queue,
        "ORCHESTRA_WORKSPACE": str(workspace),
    }
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "worker.py")], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert "worker ready" in process.stdout.readline()
    return process


async def test_killed_worker_is_replaced_and_completed_steps_do_not_rerun(client, task_queue, tmp_path):
    plan = {
        "name": "survive",
        "nodes": [
            {"id": "before", "tool": "write_file", "args": {"path": "log.txt", "content": "before\n", "mode": "append"}},
            {"id": "long", "tool": "sleep", "args": {"seconds": 3}, "depends_on": ["before"], "heartbeat_timeout_s": 1},
            {"id": "after", "tool": "write_file", "args": {"path": "log.txt", "content": "after\n", "mode": "append"},
             "depends_on": ["long"]},
        ],
    }  # fmt: skip
    first = start_worker_process(client, task_queue, tmp_path)
    try:
        handle = await start_plan(client, task_queue, plan)
        await wait_for_step(handle, "long", {StepState.CALLING_TOOL})
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    killed_at = time.time()
    second = start_worker_process(client, task_queue, tmp_path)
    try:
        final = ExecutionRecord.model_validate(await asyncio.wait_for(handle.result(), 120))
        history = await handle.fetch_history()
    finally:
        second.terminate()
        second.wait()
    assert final.state == AgentState.COMPLETED
    assert (tmp_path / "log.txt").read_text() == "before\nafter\n", "the finished step ran exactly once"
    assert scheduled_activity_ids(history).count("before") == 1
    assert final.step("long").attempts >= 2, "the interrupted step was retried on the new worker"
    assert span(final.step("long"))[0].timestamp() >= killed_at
