"""A server's 429 or 503 with Retry-After: the next attempt waits as long as it said, within the step's cap."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from temporalio.client import Client

from orchestra.errors import ToolError
from orchestra.record import StepState
from orchestra.retry_after import retry_after_seconds
from orchestra.tool_spec import ToolContext
from orchestra.tools.http_request import MAX_RETRY_AFTER_S, http_request_tool
from tests.helpers import http_server, json_body
from tests.helpers import run_plan as run

TOOL = http_request_tool()


class BusyOnce:
    """Answers ``status`` with ``Retry-After: retry_after`` first, then 200; notes when each request came."""

    def __init__(self, status: int, retry_after: str) -> None:
        self.status, self.retry_after = status, retry_after
        self.arrivals: list[float] = []
        self._lock = threading.Lock()

    def __call__(self, request: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        with self._lock:
            self.arrivals.append(time.monotonic())
            first = len(self.arrivals) == 1
        return (self.status, {"Retry-After": self.retry_after}, b"busy") if first else json_body({"ok": True})


@pytest.mark.parametrize("status", [429, 503])
async def test_the_next_attempt_waits_for_retry_after(
    client: Client, task_queue: str, tmp_path: Path, status: int
) -> None:
    server = BusyOnce(status, "2")
    with http_server(server) as url:
        call = {"method": "GET", "url": f"{url}/feed"}
        plan = {"name": "feed", "nodes": [{"id": "feed", "tool": "http_request", "args": call,
                                           "retry": {"max_attempts": 3, "initial_interval_s": 0.1}}]}  # fmt: skip
        record = await run(client, task_queue, tmp_path, plan)
    assert record.step("feed").state == StepState.COMPLETED and len(server.arrivals) == 2
    # Not how fast, but not before: the retry policy's 0.1 s was what it waited (before, ~0.1 s).
    assert server.arrivals[1] - server.arrivals[0] >= 2.0


async def test_a_wait_past_the_cap_is_not_retried_sooner(ctx: ToolContext) -> None:
    server = BusyOnce(429, str(int(MAX_RETRY_AFTER_S) + 1))
    with http_server(server) as url, pytest.raises(ToolError) as info:
        await TOOL.run(TOOL.spec.input_model.model_validate({"url": url}), ctx)
    assert info.value.code == "http_429" and not info.value.retryable
    assert "the server asks to wait 301s" in str(info.value)


async def test_the_wait_is_carried_by_the_error(ctx: ToolContext) -> None:
    with http_server(BusyOnce(503, "7")) as url, pytest.raises(ToolError) as info:
        await TOOL.run(TOOL.spec.input_model.model_validate({"url": url}), ctx)
    assert info.value.retryable and info.value.retry_after_s == 7.0


def test_retry_after_is_read_as_seconds_or_a_date() -> None:
    in_a_minute = format_datetime(datetime.now(UTC) + timedelta(seconds=60), usegmt=True)
    assert 55 <= (retry_after_seconds(in_a_minute) or 0) <= 60
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert retry_after_seconds(" 120 ") == 120.0
    assert (
        retry_after_seconds("soon") is None and retry_after_seconds("-5") is None and retry_after_seconds(None) is None
    )


@pytest.mark.parametrize(
    ("retry_after", "wait_s"),
    [("Wed, 21 Oct 2015 07:28:00 GMT", 0.0), ("Sun Nov  6 08:49:37 1994", 0.0), ("Wed, 21 Oct 2015 07:28:00 +9999", None),
     ("Wed, 21 Oct 2015 25:61:00 GMT", None), ("Wed, 21 Oct 99999 07:28:00 GMT", None), ("1e3", None)],
)  # fmt: skip
async def test_a_date_past_or_unreadable_leaves_the_wait_to_the_retry_policy(
    ctx: ToolContext, retry_after: str, wait_s: float | None
) -> None:
    with http_server(BusyOnce(503, retry_after)) as url, pytest.raises(ToolError) as info:
        await TOOL.run(TOOL.spec.input_model.model_validate({"url": url}), ctx)
    assert info.value.retryable and info.value.retry_after_s == wait_s


@pytest.mark.parametrize("retry_after", ["Fri, 31 Dec 9999 23:59:59 GMT", "9" * 400])
async def test_a_wait_for_ever_is_not_retried_and_said_as_a_number(ctx: ToolContext, retry_after: str) -> None:
    with http_server(BusyOnce(429, retry_after)) as url, pytest.raises(ToolError) as info:
        await TOOL.run(TOOL.spec.input_model.model_validate({"url": url}), ctx)
    assert not info.value.retryable and "inf" not in str(info.value), info.value
    assert "the server asks to wait 3." in str(info.value), "400 digits: 'wait infs' before"
