"""A DELETE retried after an attempt whose answer was lost: the server deleted it then, and says 404 now."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client

from orchestra.errors import ToolError
from orchestra.record import StepState
from orchestra.tool_spec import ToolContext
from orchestra.tools.http_request import http_request_tool
from tests.helpers import run_plan as run
from tests.helpers import run_plan_to_failure as run_failing
from tests.helpers import serving

TOOL = http_request_tool()


class Store:
    """One resource, /items/1, deleted by the first DELETE, whose answer comes after ``delay_s``."""

    def __init__(self, delay_s: float) -> None:
        self.delay_s = delay_s
        self.exists = True
        self.received: list[int] = []
        self._lock = threading.Lock()

    def handler(self) -> type[BaseHTTPRequestHandler]:
        store = self

        class Handler(BaseHTTPRequestHandler):
            def do_DELETE(self) -> None:
                with store._lock:
                    status = 204 if store.exists and self.path == "/items/1" else 404
                    store.exists = store.exists and status != 204
                    store.received.append(status)
                if status == 204:
                    time.sleep(store.delay_s)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


def plan(url: str) -> dict[str, Any]:
    call = {"method": "DELETE", "url": url, "timeout_s": 0.3}
    retry = {"max_attempts": 3, "initial_interval_s": 0.1}
    return {"name": "tidy", "nodes": [{"id": "tidy", "tool": "http_request", "args": call, "retry": retry}]}


async def test_a_retried_delete_told_404_has_done_its_work(client: Client, task_queue: str, tmp_path: Path) -> None:
    store = Store(delay_s=1.5)
    with serving(store.handler()) as url:
        record = await run(client, task_queue, tmp_path, plan(f"{url}/items/1"))
    step = record.step("tidy")
    assert store.received == [204, 404] and step.state == StepState.COMPLETED, "failed with http_404 before"
    assert step.output["status"] == 404 and "taken as deleted" in step.output["note"]
    assert "cannot tell" in step.output["note"], "said only 'may have deleted it' before"


async def test_a_delete_told_404_at_once_fails(client: Client, task_queue: str, tmp_path: Path) -> None:
    store = Store(delay_s=0.0)
    with serving(store.handler()) as url:
        record = await run_failing(client, task_queue, tmp_path, plan(f"{url}/items/2"))
    step = record.step("tidy")
    assert store.received == [404] and step.error is not None and step.error.code == "http_404"


async def test_outside_a_retry_a_delete_told_404_fails(ctx: ToolContext) -> None:
    with serving(Store(0.0).handler()) as url, pytest.raises(ToolError) as info:
        await TOOL.run(TOOL.spec.input_model.model_validate({"method": "DELETE", "url": f"{url}/items/9"}), ctx)
    assert info.value.code == "http_404"


class SeeOther(BaseHTTPRequestHandler):
    """The first DELETE's answer comes too late; the next is sent on (303) to a page that is not there."""

    deletes: list[str] = []

    def do_DELETE(self) -> None:
        self.deletes.append(self.path)
        if len(self.deletes) == 1:
            time.sleep(1.5)
        self.send_response(303)
        self.send_header("Location", "/receipts/missing")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


async def test_a_retried_delete_turned_into_a_get_told_404_fails(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """A 303 makes the DELETE a GET: that GET's 404 is about another page, not the resource deleted."""
    SeeOther.deletes = []
    with serving(SeeOther) as url:
        record = await run_failing(client, task_queue, tmp_path, plan(f"{url}/items/1"))
    step = record.step("tidy")
    assert SeeOther.deletes == ["/items/1"] * 2 and step.error is not None, "completed, 'taken as deleted', before"
    assert step.error.code == "http_404"
