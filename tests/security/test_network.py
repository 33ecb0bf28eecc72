"""The network boundary: the worker's own Temporal server (frontend, Web UI, its HTTP API on a port
nobody configured) as a target, names and IPv6 forms that lead to loopback, headers following a
redirect to another origin, a body that drips in slowly, and one that inflates a thousandfold twice."""

from __future__ import annotations

import gzip
import time
import zlib
from collections.abc import AsyncIterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest
from temporalio.testing import WorkflowEnvironment

from orchestra.record import StepState
from tests.cli.cli import held_ports
from tests.conftest import dev_server
from tests.helpers import http_server, json_body, serving, start_plan
from tests.security.support import outcome, ready, real_settings, run, spawn_worker, stop

# An operator who opened loopback the way the old default did.
LOOPBACK = ["127.0.0.1", "localhost", "::1"]


@pytest.fixture(scope="module")
async def server_with_ui() -> AsyncIterator[tuple[WorkflowEnvironment, int, int]]:
    """A dev server with its Web UI and its HTTP API on ports of the test's choosing (the session's
    server has neither): the API the UI calls, which starts, terminates and reads any run."""
    with held_ports(2) as (ui_port, http_port):
        pass  # released for the server to bind right away
    async with dev_server("--http-port", str(http_port), ui=True, ui_port=ui_port) as env:
        yield env, ui_port, http_port


def fetch(url: str, **args: Any) -> dict[str, Any]:
    return {"name": "fetch", "nodes": [{"id": "get", "tool": "http_request", "retry": {"max_attempts": 1},
                                        "args": {"url": url, "timeout_s": 10, **args}}]}  # fmt: skip


@pytest.mark.parametrize(
    "target",
    ["http_api", "web_ui", "frontend"],
)
async def test_the_workers_own_temporal_server_is_never_a_destination(server_with_ui, task_queue, tmp_path, target):
    env, ui_port, http_port = server_with_ui
    client = env.client
    frontend = int(client.service_client.config.target_host.rsplit(":", 1)[1])
    url = {
        "http_api": f"http://127.0.0.1:{http_port}/api/v1/namespaces/default/workflows",
        "web_ui": f"http://localhost:{ui_port}/api/v1/cluster-info",
        "frontend": f"http://127.0.0.1:{frontend}/",
    }[target]
    settings = real_settings(client, task_queue, tmp_path / "ws", allowed_hosts=LOOPBACK, ui_port=ui_port)
    record, history = await run(client, settings, fetch(url))
    step = record.step("get")
    assert step.state == StepState.ERROR and step.error is not None
    assert "worker's own" in step.error.message, step.error.message
    assert "executions" not in history and "serverVersion" not in history


@pytest.mark.parametrize(
    ("allowed", "host"),
    [(["localhost"], "localhost"), (["*"], "localhost"), (["*"], "[::ffff:127.0.0.1]"), (["*"], "127.1")],
    ids=["named-localhost", "any-name", "ipv4-mapped", "short-form"],
)
async def test_names_and_forms_that_lead_to_loopback_are_refused(client, task_queue, tmp_path, allowed, host):
    with http_server(lambda _r: json_body({"reached": True})) as url:
        port = url.rsplit(":", 1)[1]
        settings = real_settings(client, task_queue, tmp_path / "ws", allowed_hosts=allowed)
        record, history = await run(client, settings, fetch(f"http://{host}:{port}/"))
    step = record.step("get")
    assert step.state == StepState.ERROR and step.error is not None
    assert "loopback" in step.error.message, step.error.message
    assert "reached" not in history


async def test_a_redirect_to_another_origin_keeps_only_safe_headers(client, task_queue, tmp_path):
    seen: dict[str, str] = {}

    def elsewhere(request: BaseHTTPRequestHandler):
        seen.update({k.lower(): v for k, v in request.headers.items()})
        return json_body({"ok": True})

    with (
        http_server(elsewhere) as target,
        http_server(lambda _r: (302, {"Location": f"{target}/landing"}, b"")) as start,
    ):
        rules = ["127.0.0.1", start.removeprefix("http://"), target.removeprefix("http://")]
        settings = real_settings(client, task_queue, tmp_path / "ws", allowed_hosts=rules)
        headers = {"X-Api-Key": "key-123", "Authorization": "Bearer tok-456", "Cookie": "s=1", "Accept": "text/plain"}
        record, _ = await run(client, settings, fetch(f"{start}/go", headers=headers))
    assert record.step("get").state == StepState.COMPLETED
    assert seen.get("accept") == "text/plain", "safe headers go along"
    assert not {"x-api-key", "authorization", "cookie"} & set(seen), seen


class _Drip(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "40")
        self.end_headers()
        for _ in range(40):  # one byte every 0.25 s: no single read ever waits long
            self.wfile.write(b"x")
            self.wfile.flush()
            time.sleep(0.25)

    def log_message(self, *args: Any) -> None:
        pass


async def test_timeout_bounds_the_whole_request_not_each_read(client, task_queue, tmp_path):
    with serving(_Drip, daemon_threads=True) as base:
        url = f"{base}/slow"
        settings = real_settings(client, task_queue, tmp_path / "ws", allowed_hosts=["127.0.0.1", url.split("/")[2]])
        record, _ = await run(client, settings, fetch(url, timeout_s=1))
    step = record.step("get")
    assert step.state == StepState.ERROR and step.error is not None
    assert "timed out" in step.error.message


def nested_gzip(inner_bytes: int) -> bytes:
    """``inner_bytes`` of zeros, gzipped twice: a few kilobytes. Built from one repeated flushed block
    (the stream is cut before its trailer, which a reader that stops at its cap never reaches)."""
    block = 1024 * 1024
    deflate = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    first = deflate.compress(bytes(block)) + deflate.flush(zlib.Z_FULL_FLUSH)
    repeated = deflate.compress(bytes(block)) + deflate.flush(zlib.Z_FULL_FLUSH)
    return gzip.compress(first + repeated * (inner_bytes // block - 1), compresslevel=9)


async def test_a_compressed_bomb_does_not_exhaust_the_workers_memory(client, task_queue, tmp_path):
    bomb = nested_gzip(8 * 1024**3)  # 8 GiB once inflated twice
    with http_server(lambda _r: (200, {"Content-Encoding": "gzip, gzip", "Content-Type": "text/plain"}, bomb)) as url:
        workspace = tmp_path / "ws"
        workspace.mkdir()
        # A worker with 3 GiB of address space: httpx inflates each network chunk whole, in one call.
        worker = spawn_worker(
            client, task_queue, workspace, memory_bytes=3 * 1024**3, ORCHESTRA_ALLOWED_HOSTS=url.split("/")[2]
        )
        try:
            await ready(worker)
            record = await outcome(await start_plan(client, task_queue, fetch(url)))
        finally:
            stop(worker)
    step = record.step("get")
    assert step.state == StepState.COMPLETED, step.error
    # The body, capped at the worker's output limit: a million NULs, each \u0000 in the record's JSON.
    assert 6_000_000 < step.output_bytes < 6_100_000
