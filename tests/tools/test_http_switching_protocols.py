"""A server switching protocols (101) that no request asked for: the call fails at once as a protocol error,
and is not sent again (before, a connection error, retried: a GET sent 3 times)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar

import pytest
from temporalio.client import Client

from tests.helpers import run_plan_to_failure as run_failing
from tests.helpers import serving


class Switching(BaseHTTPRequestHandler):
    """Answers every request ``101 Switching Protocols``, then speaks something else (or nothing)."""

    protocol_version = "HTTP/1.1"
    after: ClassVar[bytes] = b""
    received: ClassVar[list[str]] = []
    lock = threading.Lock()

    def _switch(self) -> None:
        with self.lock:
            self.received.append(self.command)
        self.send_response_only(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.end_headers()
        self.wfile.write(self.after)
        self.close_connection = True

    do_GET = do_POST = do_DELETE = _switch

    def log_message(self, *args: Any) -> None:
        pass


@pytest.mark.parametrize(
    ("method", "after"),
    [("GET", b""), ("GET", b"\x81\x05hello"), ("DELETE", b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")],
)
async def test_an_unasked_101_fails_at_once_and_is_not_retried(
    client: Client, task_queue: str, tmp_path: Path, method: str, after: bytes
) -> None:
    Switching.after, Switching.received = after, []
    with serving(Switching) as url:
        call = {"method": method, "url": f"{url}/chat", "timeout_s": 5}
        retry = {"max_attempts": 3, "initial_interval_s": 0.1}
        node = {"id": "call", "tool": "http_request", "args": call, "retry": retry}
        record = await run_failing(client, task_queue, tmp_path, {"name": "call", "nodes": [node]})
    step = record.step("call")
    assert step.error is not None and step.error.code == "switching_protocols", step.error
    assert "101" in step.error.message and "not asked" in step.error.message
    assert Switching.received == [method] and step.attempts == 1, "sent 3 times before"
