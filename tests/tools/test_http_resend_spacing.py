"""A call that may not be resent, turned away, is sent again within its one Temporal attempt: as far apart as
its plan's retry asks, not as the tool's own hints (1 s, then 2 s) say."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from temporalio.client import Client

from tests.helpers import http_server
from tests.helpers import run_plan_to_failure as run_failing

ASKED_S = 2.5  # the plan's initial_interval_s, longer than the tool's own 1 s


async def test_a_keyless_post_turned_away_is_sent_again_as_far_apart_as_the_plan_asks(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    received: list[float] = []
    lock = threading.Lock()

    def busy(request: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        with lock:
            received.append(time.monotonic())
        return 429, {}, b"slow down"

    with http_server(busy) as url:
        call = {"method": "POST", "url": f"{url}/pay", "json": {"pay": 10}}
        retry = {"max_attempts": 2, "initial_interval_s": ASKED_S}
        plan = {"name": "pay", "nodes": [{"id": "pay", "tool": "http_request", "args": call, "retry": retry}]}
        record = await run_failing(client, task_queue, tmp_path, plan)
    assert record.step("pay").error is not None and len(received) == 2
    # A lower bound the sleep itself guarantees: sent again after 1 s before, as the tool's hints say.
    assert received[1] - received[0] >= ASKED_S, f"sent again after {received[1] - received[0]:.2f} s"
