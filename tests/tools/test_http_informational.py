"""A server answering a request with informational (1xx) answers and no final one: the call fails at once,
said as such, and is not sent again (it waited for its whole timeout before, and a GET was sent 3 times)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar

from temporalio.client import Client

from orchestra.informational import MAX_INFORMATIONAL
from orchestra.tool_spec import ToolContext
from orchestra.tools.http_request import http_request_tool
from tests.helpers import run_plan_to_failure as run_failing
from tests.helpers import serving

TOOL = http_request_tool()


class Processing(BaseHTTPRequestHandler):
    """Answers ``102 Processing`` ``informational`` times (without end: None), then 200."""

    protocol_version = "HTTP/1.1"
    informational: ClassVar[int | None] = None
    received: ClassVar[list[str]] = []
    lock = threading.Lock()

    def do_GET(self) -> None:
        with self.lock:
            self.received.append(self.command)
        sent = 0
        try:
            while self.informational is None or sent < self.informational:
                self.send_response_only(102)
                self.end_headers()
                sent += 1
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
        except OSError:  # the client gave up
            pass

    def log_message(self, *args: Any) -> None:
        pass


async def test_endless_102_fails_at_once_and_is_not_retried(client: Client, task_queue: str, tmp_path: Path) -> None:
    Processing.informational, Processing.received = None, []
    with serving(Processing, daemon_threads=True) as url:
        call = {"url": f"{url}/slow", "timeout_s": 20}
        node = {
            "id": "get",
            "tool": "http_request",
            "args": call,
            "retry": {"max_attempts": 3, "initial_interval_s": 0.1},
        }
        record = await run_failing(client, task_queue, tmp_path, {"name": "get", "nodes": [node]})
    step = record.step("get")
    assert step.error is not None and step.error.code == "no_final_answer", "a timeout after 20 s, retried, before"
    assert f"{MAX_INFORMATIONAL + 1} informational answers (1xx) and no final one" in step.error.message
    assert Processing.received == ["GET"] and step.attempts == 1


async def test_a_few_informational_answers_then_the_final_one_are_read(ctx: ToolContext) -> None:
    Processing.informational, Processing.received = MAX_INFORMATIONAL, []
    with serving(Processing) as url:
        model = TOOL.spec.input_model.model_validate({"url": f"{url}/slow"})
        out = await TOOL.run(model, ctx)
    assert out.status == 200 and out.text == "ok"
