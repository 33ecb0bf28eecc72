"""A DELETE retried after an attempt whose answer was lost: the server deleted it then, and says 404 now."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError

from orchestra.errors import ToolError
from orchestra.record import StepState
from orchestra.tool_spec import ToolContext
from orchestra.tools.http_request import http_request_tool
from tests.helpers import record_of, serving, start_plan, until, worker_for
from tests.helpers import run_plan as run
from tests.helpers import run_plan_to_failure as run_failing

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


def plan(url: str, interval_s: float = 0.1) -> dict[str, Any]:
    call = {"method": "DELETE", "url": url, "timeout_s": 0.3}
    retry = {"max_attempts": 3, "initial_interval_s": interval_s}
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


class Missing(BaseHTTPRequestHandler):
    """Nothing here: each DELETE is told 404, or first 503 (turned away, not acted on) when ``busy``."""

    busy = False
    answered: list[int] = []

    def do_DELETE(self) -> None:
        status = 503 if Missing.busy and not Missing.answered else 404
        Missing.answered.append(status)
        self.send_response(status)
        self.send_header("Retry-After", "0")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def refusing_then_serving() -> Iterator[tuple[str, threading.Event]]:
    """A loopback port that refuses connections (bound, not listening) until the event is set, then serves
    ``Missing`` there."""
    closed = socket.socket()
    closed.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    opened, served = threading.Event(), threading.Event()

    def serve() -> None:
        opened.wait()
        closed.close()
        server = ThreadingHTTPServer(("127.0.0.1", port), Missing)
        served.set()
        server.serve_forever(poll_interval=0.05)

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}", opened
    finally:
        opened.set()
        served.wait(5)


async def test_a_delete_refused_at_connect_then_told_404_fails(client: Client, task_queue: str, tmp_path: Path) -> None:
    """No attempt reached the server before the 404: it is the wrong address it says, not a delete done. The
    second attempt runs on another worker, the first gone: what the first did travels with Temporal."""
    Missing.busy, Missing.answered = False, []
    with refusing_then_serving() as (url, opened):
        async with worker_for(client, task_queue, tmp_path / "first"):
            handle = await start_plan(client, task_queue, plan(f"{url}/items/2", interval_s=1.0))
            # The first attempt refused at connect: the server listens from the second on.
            await until(
                handle.describe, lambda d: any(a.HasField("last_failure") for a in d.raw_description.pending_activities)
            )
        opened.set()
        async with worker_for(client, task_queue, tmp_path / "second"):
            with pytest.raises(WorkflowFailureError):
                await handle.result()
            record = await record_of(handle)
    step = record.step("tidy")
    assert Missing.answered == [404] and step.error is not None, "completed, 'taken as deleted', before"
    assert step.error.code == "http_404" and step.attempts == 2


async def test_a_delete_turned_away_then_told_404_fails(client: Client, task_queue: str, tmp_path: Path) -> None:
    """A 503 to the DELETE itself says the server did not act on it: the next attempt's 404 is no delete done."""
    Missing.busy, Missing.answered = True, []
    with serving(Missing) as url:
        record = await run_failing(client, task_queue, tmp_path, plan(f"{url}/items/2"))
    step = record.step("tidy")
    assert Missing.answered == [503, 404] and step.error is not None, "completed, 'taken as deleted', before"
    assert step.error.code == "http_404"


class SlowlyBusy(Missing):
    """The first DELETE is turned away (503) after ``delay_s``: the attempt has heartbeated meanwhile."""

    delay_s = 2.5

    def do_DELETE(self) -> None:
        if not Missing.answered:
            time.sleep(SlowlyBusy.delay_s)
        super().do_DELETE()


async def test_a_delete_turned_away_after_a_heartbeat_then_told_404_fails(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """The record is the attempt's last heartbeat, given after the activity's own (each second, throttled by
    the SDK): it still reaches the next attempt."""
    Missing.busy, Missing.answered = True, []
    slow = plan("", interval_s=0.1)
    with serving(SlowlyBusy) as url:
        slow["nodes"][0]["args"].update(url=f"{url}/items/3", timeout_s=5)
        record = await run_failing(client, task_queue, tmp_path, slow)
    step = record.step("tidy")
    assert Missing.answered == [503, 404] and step.error is not None, step
    assert step.error.code == "http_404"
