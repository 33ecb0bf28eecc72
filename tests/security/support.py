"""Helpers for the attack tests: a real worker whose settings name the real Temporal server (so the
boundary knows which services are the worker's own), plans started as a client would, outcomes read
from the record or the failure."""

from __future__ import annotations

import asyncio
import json
import os
import resource
import signal
import subprocess
import sys
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import ResetStickyTaskQueueRequest
from temporalio.client import Client, WorkflowFailureError, WorkflowHandle
from temporalio.exceptions import ApplicationError
from temporalio.worker import Worker

from orchestra.record import ExecutionRecord
from orchestra.registry import ToolRegistry, default_registry
from orchestra.settings import PROJECT_ROOT, Settings
from tests.helpers import payload_text, start_plan
from tests.patience import patient
from worker import create_worker

# A run that never ends (a workflow task failing and retrying forever) fails the test here, not hangs it.
RUN_WITHIN_S = 90


def real_settings(client: Client, task_queue: str, workspace: Path, **fields: Any) -> Settings:
    workspace.mkdir(parents=True, exist_ok=True)
    return Settings(
        task_queue=task_queue,
        workspace=workspace,
        data_dir=workspace.parent,
        address=client.service_client.config.target_host,
        **fields,
    )


@asynccontextmanager
async def real_worker(
    client: Client, settings: Settings, registry: ToolRegistry | None = None, *, slow_ok: bool = False, **options: Any
):
    """``slow_ok``: a deadlock detector that waits for a loaded machine (tests.patience); ``options`` go to
    the Worker."""
    worker: Worker = create_worker(client, settings, registry or default_registry(settings.registry_files), **options)
    if slow_ok:
        patient(worker)
    async with worker:
        yield worker


async def outcome(handle: WorkflowHandle[Any, Any]) -> ExecutionRecord:
    """The record of a finished run, successful or not; fails if the run does not end in time."""
    try:
        return ExecutionRecord.model_validate(await asyncio.wait_for(handle.result(), RUN_WITHIN_S))
    except WorkflowFailureError as failure:
        cause = failure.cause
        assert isinstance(cause, ApplicationError) and cause.type == "PlanFailed", repr(cause)
        return ExecutionRecord.model_validate(cause.details[0])


async def run(client: Client, settings: Settings, plan: dict[str, Any], **worker: Any) -> tuple[ExecutionRecord, str]:
    """Run ``plan`` on a real worker (``worker``: real_worker's options); its record and every payload of
    its history, decoded."""
    async with real_worker(client, settings, **worker):
        handle = await start_plan(client, settings.task_queue, plan)
        record = await outcome(handle)
        history = payload_text(json.loads((await handle.fetch_history()).to_json()))
    return record, history


def spawn_worker(
    client: Client, task_queue: str, workspace: Path, memory_bytes: int | None = None, **env: str
) -> subprocess.Popen[str]:
    """``worker.py`` in a process of its own (one a test can kill, or starve of memory), on ``task_queue``."""
    variables = {
        **os.environ,
        "TEMPORAL_ADDRESS": client.service_client.config.target_host,
        "ORCHESTRA_TASK_QUEUE": task_queue,
        "ORCHESTRA_WORKSPACE": str(workspace),
        **env,
    }

    def limit_memory() -> None:
        if memory_bytes is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))

    command = [sys.executable, str(PROJECT_ROOT / "worker.py")]
    return subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=variables, stdout=subprocess.PIPE, text=True, preexec_fn=limit_memory
    )


def stop(process: subprocess.Popen[str], sig: int = signal.SIGTERM) -> None:
    """Signal a worker process, wait for its end and close its pipe (left open, it is a ResourceWarning when
    collected)."""
    process.send_signal(sig)
    process.wait()
    if process.stdout is not None:
        process.stdout.close()


async def kill_worker(client: Client, process: subprocess.Popen[str], *workflow_ids: str) -> None:
    """A worker lost (SIGKILL) while it ran ``workflow_ids``, which any worker may take on at once (unstick)."""
    stop(process, signal.SIGKILL)
    await unstick(client, *workflow_ids)


async def unstick(client: Client, *workflow_ids: str) -> None:
    """The next task of each run goes to any worker, which replays the run, now: it went to the dead worker's
    own (sticky) queue, and to any worker only after the 30 s it waits there for it (WORKER_TUNING's
    sticky_queue_schedule_to_start_timeout), which most of a killed-worker test's time was. The same path
    (a replay on another worker), without the wait."""
    for workflow_id in workflow_ids:
        execution = WorkflowExecution(workflow_id=workflow_id)
        await client.workflow_service.reset_sticky_task_queue(
            ResetStickyTaskQueueRequest(namespace=client.namespace, execution=execution)
        )


async def ready(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    line = ""
    while "worker ready" not in line:  # said once the server lists it polling, after its start-up notes
        line = await asyncio.wait_for(asyncio.to_thread(process.stdout.readline), 60)
        assert line, "the worker ended before it was ready"
