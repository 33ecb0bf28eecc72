"""Helpers for the operability tests: a real `python worker.py` subprocess, free ports, CLI commands in-process."""

from __future__ import annotations

import asyncio
import signal
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from google.protobuf.duration_pb2 import Duration
from temporalio.api.workflowservice.v1 import RegisterNamespaceRequest
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from orchestra.settings import PROJECT_ROOT
from tests.cli.cli import Result, clean_env, run_here

READY_LINE = "worker ready:"


async def fresh_namespace_client(temporal_env: WorkflowEnvironment, prefix: str) -> Client:
    """A client of a namespace made for the test: none of the search attributes the project's runs upsert."""
    namespace = f"{prefix}-{uuid.uuid4().hex[:8]}"
    retention = Duration()
    retention.FromTimedelta(timedelta(days=1))
    await temporal_env.client.workflow_service.register_namespace(
        RegisterNamespaceRequest(namespace=namespace, workflow_execution_retention_period=retention)
    )
    target = temporal_env.client.service_client.config.target_host
    return await Client.connect(target, namespace=namespace, data_converter=pydantic_data_converter)


@asynccontextmanager
async def worker_process(
    temporal_env: WorkflowEnvironment, task_queue: str, tmp_path: Path, **env: str
) -> AsyncIterator[Path]:
    """`python worker.py` configured by environment only, as in production; yields its log file."""
    workspace = tmp_path / "workspace"
    workspace.mkdir(exist_ok=True)
    log = tmp_path / "worker.log"
    settings = {
        "TEMPORAL_ADDRESS": temporal_env.client.service_client.config.target_host,
        "ORCHESTRA_TASK_QUEUE": task_queue,
        "ORCHESTRA_WORKSPACE": str(workspace),
        "ORCHESTRA_DATA_DIR": str(tmp_path / "data"),
        **env,
    }
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(PROJECT_ROOT / "worker.py"), cwd=PROJECT_ROOT, env=clean_env(**settings),
            stdout=out, stderr=asyncio.subprocess.STDOUT, stdin=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
    try:
        for _ in range(600):
            if READY_LINE in log.read_text(errors="replace"):
                break
            if process.returncode is not None:
                raise AssertionError(f"the worker exited:\n{log.read_text(errors='replace')}")
            await asyncio.sleep(0.1)
        else:
            raise AssertionError(f"the worker did not get ready:\n{log.read_text(errors='replace')}")
        yield log
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 30)
            except TimeoutError:
                process.kill()
                await process.wait()


async def run_command(client: Client, *argv: str) -> Result:
    """A CLI command line run in this process on the test's client (as `client.py` would run it)."""
    return await run_here(*argv, client=client)
