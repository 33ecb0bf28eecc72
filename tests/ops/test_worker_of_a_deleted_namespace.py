"""A worker whose namespace was deleted while it ran retried its polls for ever, a warning a minute ("Task polling has
encountered errors continuously; the worker will continue retrying"): it stops in one line and exits 2 once the server
has refused the namespace at every check for a while (here shortened to seconds)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from temporalio.api.operatorservice.v1 import DeleteNamespaceRequest
from temporalio.testing import WorkflowEnvironment

from orchestra.settings import PROJECT_ROOT
from tests.cli.cli import clean_env
from tests.ops.support import READY_LINE, fresh_namespace_client

# worker.py as run from a shell, its namespace checked every half second and given up on after two seconds.
SHORTENED = f"""
import runpy
from datetime import timedelta
import orchestra.namespace_watch as watch
watch.CHECK_EVERY, watch.GIVE_UP_AFTER = timedelta(seconds=0.5), timedelta(seconds=2)
runpy.run_path({str(PROJECT_ROOT / "worker.py")!r}, run_name="__main__")
"""


async def test_a_worker_whose_namespace_is_deleted_stops_in_one_line(
    temporal_env: WorkflowEnvironment, tmp_path: Path
) -> None:
    client = await fresh_namespace_client(temporal_env, "deleted")
    log = tmp_path / "worker.log"
    env = clean_env(
        TEMPORAL_ADDRESS=client.service_client.config.target_host, TEMPORAL_NAMESPACE=client.namespace,
        ORCHESTRA_TASK_QUEUE="tq-of-a-deleted-namespace", ORCHESTRA_WORKSPACE=str(tmp_path / "workspace"),
        ORCHESTRA_DATA_DIR=str(tmp_path / "data"),
    )  # fmt: skip
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", SHORTENED, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=asyncio.subprocess.STDOUT,
            stdin=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
    try:
        while READY_LINE not in log.read_text(errors="replace"):
            assert process.returncode is None, log.read_text(errors="replace")
            await asyncio.sleep(0.1)
        await temporal_env.client.operator_service.delete_namespace(DeleteNamespaceRequest(namespace=client.namespace))
        code = await asyncio.wait_for(process.wait(), 120)  # a bound for the old worker, which never stopped
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    said = log.read_text(errors="replace")
    assert code == 2, said
    stopped = [line for line in said.splitlines() if "the worker stopped:" in line]
    assert len(stopped) == 1, said
    assert f"the server says namespace {client.namespace!r} is not found" in stopped[0], stopped
    assert "Traceback" not in said, said
