"""A real `python worker.py` (as compose runs it): JSON log lines with the run's ids and secrets masked,
and the project's metrics next to the SDK's on its Prometheus endpoint."""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import httpx
import pytest
from temporalio.client import WorkflowFailureError
from temporalio.testing import WorkflowEnvironment

from tests.helpers import host_rule, http_server, json_body, start_plan, until
from tests.ops.support import worker_process


@asynccontextmanager
async def worker_serving_metrics(
    temporal_env: WorkflowEnvironment, task_queue: str, tmp_path: Path, **env: str
) -> AsyncIterator[tuple[Path, int]]:
    """`worker.py` with its /metrics on a port of its own; yields its log and that port. The port is
    free when picked, right before the worker starts; should another process take it before the worker
    binds it, the worker exits saying so (the address is in use), and we try once more on a new one."""
    async with AsyncExitStack() as stack:
        for attempt in (1, 2):
            with socket.socket() as held:
                held.bind(("127.0.0.1", 0))
                port = int(held.getsockname()[1])
            metrics = {"ORCHESTRA_METRICS_ADDRESS": f"127.0.0.1:{port}"}
            try:
                log = await stack.enter_async_context(
                    worker_process(temporal_env, task_queue, tmp_path, **env, **metrics)
                )
            except AssertionError as exited:
                if attempt == 1 and "Address already in use" in str(exited):
                    continue
                raise
            yield log, port
            return


async def test_worker_logs_json_with_ids_masks_secrets_and_serves_metrics(client, temporal_env, task_queue, tmp_path):
    secret = f"s3cr3t-{uuid.uuid4().hex}"

    def server(request):
        if request.path.startswith("/login"):
            # A server that echoes the credentials back: the tool's error message now carries the secret.
            echoed = f"rejected credentials {request.headers.get('Authorization')}"
            return 401, {"Content-Type": "text/plain"}, echoed.encode()
        return json_body({"ok": True})

    with http_server(server) as url:
        plan = {
            "name": "telemetry",
            "nodes": [
                {"id": "fetch", "tool": "http_request", "args": {"url": f"{url}/data"}},
                {"id": "login", "tool": "http_request", "retry": {"max_attempts": 1},
                 "args": {"url": f"{url}/login", "headers": {"Authorization": f"Token {secret}"}}},
            ],
        }  # fmt: skip
        allowed = {"ORCHESTRA_ALLOWED_HOSTS": host_rule(url)}
        async with worker_serving_metrics(
            temporal_env, task_queue, tmp_path, ORCHESTRA_LOG_FORMAT="json", **allowed
        ) as (
            log,
            port,
        ):
            handle = await start_plan(client, task_queue, plan)
            with pytest.raises(WorkflowFailureError):
                await handle.result()
            exposition = ""

            async def runs_counted() -> bool:
                nonlocal exposition
                async with httpx.AsyncClient() as http:
                    exposition = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
                return "orchestra_runs" in exposition

            await until(runs_counted)
        text = log.read_text()

    assert secret not in text
    assert '"locals"' not in text  # tracebacks without frame locals (they hold arguments)
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    ours = [line for line in lines if line.get("workflow_id") == handle.id]
    assert ours, text
    failed = next(line for line in ours if line["event"] == "tool failed")
    assert failed["node"] == "login" and failed["tool"] == "http_request" and failed["attempt"] == 1
    assert failed["run_id"] == handle.result_run_id and failed["level"] == "warning"
    assert "[REDACTED]" in failed["error"] and "HTTP 401" in failed["error"]
    started = [line for line in ours if line["event"] == "tool started"]
    assert {s["node"] for s in started} == {"fetch", "login"}
    assert all("args" not in s and s["arg_keys"] for s in started)  # names and size only, never values
    step = next(line for line in ours if line["event"] == "step finished" and line.get("node") == "fetch")
    assert step["run_id"] == handle.result_run_id and step["state"] == "completed"

    def sample(name: str, *labels: str) -> list[str]:
        return [
            line for line in exposition.splitlines() if line.startswith(name) and all(label in line for label in labels)
        ]

    assert sample("orchestra_tool_latency", 'tool="http_request"', 'outcome="ok"')
    assert sample("orchestra_tool_failures", 'tool="http_request"', 'error_type="http_401"')
    assert sample("orchestra_runs", 'state="error"')
    assert sample("temporal_", f'task_queue="{task_queue}"')  # the SDK's own metrics, same endpoint
