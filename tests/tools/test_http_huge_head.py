"""A server whose answer's head runs past what h11 reads of one (100 KiB, no blank line): the call fails at once,
said as such, and is not sent again. h11 failed it as 'Receive buffer too long', taken as a broken connection:
a GET was sent 3 times, each answered the same."""

from __future__ import annotations

import contextlib
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar

import pytest
from temporalio.client import Client

from orchestra.informational import MAX_HEAD_BYTES
from tests.helpers import run_plan_to_failure as run_failing
from tests.helpers import serving


class HugeHead(BaseHTTPRequestHandler):
    """Answers every request with a head of one header longer than MAX_HEAD_BYTES, then its end."""

    protocol_version = "HTTP/1.1"
    received: ClassVar[list[str]] = []
    lock = threading.Lock()

    def _answer(self) -> None:
        with self.lock:
            self.received.append(self.command)
        padding = b"a" * (2 * MAX_HEAD_BYTES)  # read 64 KiB at a time: past the bound with no end
        with contextlib.suppress(OSError):  # the client gave up
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Padding: " + padding + b"\r\nContent-Length: 2\r\n\r\nok")
        self.close_connection = True

    do_GET = do_DELETE = _answer

    def log_message(self, *args: Any) -> None:
        pass


@pytest.mark.parametrize("method", ["GET", "DELETE"])
async def test_a_head_past_the_bound_fails_at_once_and_is_not_retried(
    client: Client, task_queue: str, tmp_path: Path, method: str
) -> None:
    HugeHead.received = []
    with serving(HugeHead, daemon_threads=True) as url:
        call = {"method": method, "url": f"{url}/item", "timeout_s": 10}
        node = {
            "id": "call",
            "tool": "http_request",
            "args": call,
            "retry": {"max_attempts": 3, "initial_interval_s": 0.1},
        }
        record = await run_failing(client, task_queue, tmp_path, {"name": "call", "nodes": [node]})
    step = record.step("call")
    assert step.error is not None and step.error.code == "head_too_long", step.error
    assert HugeHead.received == [method] and step.attempts == 1, "a connection error, sent 3 times, before"
