"""The lines `worker.py` writes itself — that it is ready, how it confines tools, why it cannot start — are in
its log's format: JSON lines when the log is JSON lines (the default off a terminal), the plain text on a
console. They were plain text among JSON lines: a log shipper reading the one format choked on the other."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from typing import Any

from temporalio.client import Client

from orchestra.settings import PROJECT_ROOT
from tests.cli.cli import clean_env

WITHIN_S = 60  # a ceiling for a worker that never gets ready (a failure), not a measure


def spawn(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(PROJECT_ROOT / "worker.py")], cwd=PROJECT_ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip


async def lines_until_ready(process: subprocess.Popen[str]) -> list[str]:
    """The worker's stdout up to and with its ready line, said once the server lists it polling: its start-up notes
    (how it confines tools) come before it."""
    assert process.stdout is not None
    lines: list[str] = []
    while not lines or "worker ready" not in lines[-1]:
        line = await asyncio.wait_for(asyncio.to_thread(process.stdout.readline), WITHIN_S)
        assert line, f"the worker ended: {lines} {process.stderr.read() if process.stderr else ''}"
        lines.append(line.rstrip("\n"))
    return lines


def stopped(process: subprocess.Popen[str]) -> None:
    process.terminate()
    process.communicate(timeout=WITHIN_S)


def worker_env(client: Client, task_queue: str, **more: str) -> dict[str, str]:
    return clean_env(TEMPORAL_ADDRESS=client.service_client.config.target_host, ORCHESTRA_TASK_QUEUE=task_queue,
                     **more)  # fmt: skip


async def test_the_ready_lines_are_json_lines_when_the_log_is(client: Client, task_queue: str) -> None:
    process = spawn(worker_env(client, task_queue))
    try:
        lines = await lines_until_ready(process)
    finally:
        stopped(process)
    said: list[dict[str, Any]] = [json.loads(line) for line in lines]
    ready = said[-1]
    assert ready["event"].startswith("worker ready: ") and ready["task_queue"] == task_queue, ready
    assert all(s["level"] and s["timestamp"] and s["logger"] == "orchestra.worker" for s in said), said
    assert any(s["event"].startswith("tool processes: ") for s in said), said


async def test_the_ready_lines_are_text_on_a_console_log(client: Client, task_queue: str) -> None:
    process = spawn(worker_env(client, task_queue, ORCHESTRA_LOG_FORMAT="console"))
    try:
        lines = await lines_until_ready(process)
    finally:
        stopped(process)
    assert (
        lines[-1]
        == f"worker ready: {client.service_client.config.target_host} namespace=default task_queue={task_queue}"
    )


async def test_why_it_cannot_start_is_a_json_line_when_the_log_is(
    client: Client, task_queue: str, closed_address: str
) -> None:
    process = spawn({**worker_env(client, task_queue), "TEMPORAL_ADDRESS": closed_address})
    _, err = await asyncio.to_thread(process.communicate, timeout=WITHIN_S)
    assert process.returncode == 3, err
    said = [json.loads(line) for line in err.splitlines() if line.strip()]
    assert any(s["level"] == "error" and closed_address in s["event"] for s in said), err
