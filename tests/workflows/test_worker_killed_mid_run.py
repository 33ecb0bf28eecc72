"""A run whose worker is killed (SIGKILL, a real `python worker.py`) is finished by a new worker, which
replays the whole history first (issue 9: a big replay outgrew the default workflow task timeout)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from orchestra.record import AgentState, ExecutionRecord, StepState
from orchestra.settings import PROJECT_ROOT, Settings
from tests.cli.cli import clean_env
from tests.helpers import start_plan, until
from tests.ops.support import READY_LINE
from tests.security.support import unstick

STEPS = 150


@asynccontextmanager
async def killed_worker(
    temporal_env: WorkflowEnvironment, storage: Settings, task_queue: str, tmp_path: Path, name: str
) -> AsyncIterator[None]:
    """`python worker.py` as in production, killed with SIGKILL at the end of the block (no clean exit)."""
    (tmp_path / "workspace").mkdir(parents=True, exist_ok=True)
    log = tmp_path / f"{name}.log"
    env = clean_env(
        TEMPORAL_ADDRESS=temporal_env.client.service_client.config.target_host, ORCHESTRA_TASK_QUEUE=task_queue,
        ORCHESTRA_WORKSPACE=str(tmp_path / "workspace"), ORCHESTRA_DATA_DIR=str(tmp_path / "data"),
        ORCHESTRA_STORAGE_DIR=str(storage.storage_folder()),  # where the test's client stores payloads
    )  # fmt: skip
    with log.open("ab") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(PROJECT_ROOT / "worker.py"), cwd=PROJECT_ROOT, env=env, stdout=out,
            stderr=asyncio.subprocess.STDOUT, stdin=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
    try:
        for _ in range(600):
            if log.read_text(errors="replace").count(READY_LINE) and process.returncode is None:
                break
            await asyncio.sleep(0.1)
        yield
    finally:
        process.kill()
        await process.wait()


async def test_a_run_whose_worker_is_killed_mid_run_is_finished_by_a_new_worker(
    temporal_env: WorkflowEnvironment, storage_settings: Settings, client: Client, task_queue: str, tmp_path: Path
) -> None:
    nodes = [{"id": "root", "tool": "sleep", "args": {"seconds": 0}}]
    nodes += [{"id": f"f{i}", "tool": "write_file", "args": {"path": f"o/{i}.txt", "content": "slept ${root.output.slept_s}"},
               "depends_on": ["root"]} for i in range(STEPS)]  # fmt: skip
    nodes.append({"id": "sink", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"f{i}" for i in range(STEPS)]})
    plan = {"name": "fan", "max_parallel": 10, "nodes": nodes}

    # Started once the worker says it is ready (listed by the server, some time after it first polls): a run started
    # before could be finished while the test waited for that line, never killed mid-run.
    async with killed_worker(temporal_env, storage_settings, task_queue, tmp_path, "first"):
        handle = await start_plan(client, task_queue, plan)

        async def events() -> int:
            return (await handle.describe()).history_length

        await until(events, lambda n: n >= 150, within=120)
    await unstick(client, handle.id)
    assert (await handle.describe()).status == WorkflowExecutionStatus.RUNNING, "killed mid-run"
    async with killed_worker(temporal_env, storage_settings, task_queue, tmp_path, "second"):
        await handle.result()
        record = await handle.query("record", result_type=ExecutionRecord)
    assert record.state == AgentState.COMPLETED
    assert all(step.state == StepState.COMPLETED for step in record.steps) and len(record.steps) == STEPS + 2
    written = {(tmp_path / "workspace" / "o" / f"{i}.txt").read_text() for i in range(STEPS)}
    assert len(written) == 1 and written.pop().startswith("slept "), "every write read the one root's output"
