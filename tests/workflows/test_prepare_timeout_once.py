"""A plan's check that outlasts its timeout is not started again: the check is deterministic, so another
attempt takes as long, and the first one's thread cannot be stopped (it runs on beside each retry)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.worker import UnsandboxedWorkflowRunner

import activities.tools
import workflows.orchestration
from orchestra.plan import Plan
from orchestra.registry import ToolRegistry, default_registry
from orchestra.validation import PreparedPlan, prepare_plan
from tests.helpers import settings_for, start_plan
from worker import create_worker

TIMEOUT = timedelta(seconds=1)
PLAN = {"nodes": [{"id": "a", "tool": "sleep", "args": {"seconds": 0}}]}


async def test_a_check_past_its_timeout_is_tried_once(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[float] = []
    lock = threading.Lock()

    def slow(plan: Plan, registry: ToolRegistry) -> PreparedPlan:
        with lock:
            started.append(time.monotonic())
        time.sleep(TIMEOUT.total_seconds() * 2)  # as a check of a huge plan would: longer than its timeout
        return prepare_plan(plan, registry)

    monkeypatch.setattr(activities.tools, "prepare_plan", slow)
    # Read by the workflow at the call: unsandboxed, it sees the shorter timeout.
    monkeypatch.setattr(workflows.orchestration, "PREPARE_TIMEOUT", TIMEOUT)
    settings = settings_for(task_queue, tmp_path)
    async with create_worker(client, settings, default_registry(), workflow_runner=UnsandboxedWorkflowRunner()):
        handle = await start_plan(client, task_queue, PLAN)
        with pytest.raises(WorkflowFailureError) as failure:
            await handle.result()
    assert "timed out" in str(failure.value.cause), failure.value.cause
    assert len(started) == 1, (
        f"the check was started {len(started)} times: {[round(t - started[0], 2) for t in started]}"
    )
