"""A POST that may have been processed is not sent again: through Temporal's retries, on a real loopback
server that counts what it received."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client

from orchestra.errors import ToolError
from orchestra.plan import parse_plan
from orchestra.record import ExecutionRecord, StepState
from orchestra.registry import default_registry as registry
from orchestra.tool_spec import ToolContext
from orchestra.tools.http_request import RETRY as RETRY_HINTS
from orchestra.tools.http_request import http_request_tool
from orchestra.validation import prepare_plan
from tests.helpers import http_server, json_body
from tests.helpers import run_plan as run
from tests.helpers import run_plan_to_failure as run_failing

TOOL = http_request_tool()
RETRY = {"max_attempts": 3, "initial_interval_s": 0.1}


class Counting:
    """A handler answering ``status`` (after ``delay_s``) and counting the requests, by method."""

    def __init__(self, status: int, *, delay_s: float = 0.0, then: int | None = None) -> None:
        self.status, self.delay_s, self.then = status, delay_s, then
        self.received: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, request: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        with self._lock:
            self.received.append(request.command)
            first = len(self.received) == 1
        time.sleep(self.delay_s)
        if self.then is not None and not first:
            return json_body({"ok": True}) if self.then == 200 else (self.then, {}, b"again")
        return self.status, {}, b"server trouble"


def step_plan(url: str, method: str = "POST", **args: Any) -> dict[str, Any]:
    call = {"method": method, "url": url, "json": {"pay": 10}, **args}
    return {"name": "pay", "nodes": [{"id": "pay", "tool": "http_request", "args": call, "retry": RETRY}]}


async def failed_step(client: Client, task_queue: str, tmp_path: Path, plan: dict[str, Any]) -> Any:
    record: ExecutionRecord = await run_failing(client, task_queue, tmp_path, plan)
    step = record.step("pay")
    assert step.state == StepState.ERROR and step.error is not None
    return step


async def test_a_post_whose_answer_timed_out_is_sent_once(client: Client, task_queue: str, tmp_path: Path) -> None:
    server = Counting(200, delay_s=1.5)
    with http_server(server) as url:
        step = await failed_step(client, task_queue, tmp_path, step_plan(url, timeout_s=0.3))
    assert server.received == ["POST"], "the payment was posted once, not once per attempt"
    assert step.attempts == 1 and not step.error.retryable
    assert "POST to 127.0.0.1 may have been processed: not sent again" in step.error.message


async def test_a_post_answered_500_is_sent_once(client: Client, task_queue: str, tmp_path: Path) -> None:
    server = Counting(500)
    with http_server(server) as url:
        step = await failed_step(client, task_queue, tmp_path, step_plan(url))
    assert server.received == ["POST"]
    assert step.error.code == "http_500" and "may have been processed" in step.error.message


async def test_a_get_answered_500_is_still_retried(client: Client, task_queue: str, tmp_path: Path) -> None:
    server = Counting(500)
    with http_server(server) as url:
        step = await failed_step(client, task_queue, tmp_path, step_plan(url, method="GET", json=None))
    assert server.received == ["GET"] * 3 and step.attempts == 3


async def test_a_post_the_server_refused_with_503_is_retried(client: Client, task_queue: str, tmp_path: Path) -> None:
    server = Counting(503, then=200)
    with http_server(server) as url:
        record = await run(client, task_queue, tmp_path, step_plan(url))
    assert server.received == ["POST", "POST"] and record.step("pay").state == StepState.COMPLETED


async def test_a_post_with_an_idempotency_key_is_retried(client: Client, task_queue: str, tmp_path: Path) -> None:
    server = Counting(500, then=200)
    with http_server(server) as url:
        record = await run(client, task_queue, tmp_path, step_plan(url, headers={"Idempotency-Key": "pay-42"}))
    assert server.received == ["POST", "POST"] and record.step("pay").state == StepState.COMPLETED


async def test_a_post_refused_at_connect_is_retried(client: Client, task_queue: str, tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on: the connection is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    step = await failed_step(client, task_queue, tmp_path, step_plan(f"http://127.0.0.1:{port}/pay"))
    # Retried within the activity's one attempt (attempts_for): nothing reached a server.
    assert step.attempts == 1 and step.error.code == "connection_error" and step.error.retryable


async def test_a_post_redirected_to_a_503_is_sent_once(client: Client, task_queue: str, tmp_path: Path) -> None:
    received: list[str] = []

    def see_other(request: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        received.append(request.command)
        # The POST was acted on; the page it leads to is busy: a retry would post again.
        return (303, {"Location": "/receipt"}, b"") if request.command == "POST" else (503, {}, b"busy")

    with http_server(see_other) as url:
        step = await failed_step(client, task_queue, tmp_path, step_plan(f"{url}/pay"))
    assert received == ["POST", "GET"] and "may have been processed" in step.error.message


async def test_a_post_whose_connection_hung_is_retried(ctx: ToolContext) -> None:
    # A listener whose backlog is full drops the next connection's SYN: the connect hangs until the
    # call's timeout, which may fire as the call's own timeout rather than httpx's connect timeout.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        fillers = [socket.socket() for _ in range(4)]
        for filler in fillers:
            filler.setblocking(False)
            filler.connect_ex(listener.getsockname())
        try:
            args = {"method": "POST", "url": f"http://127.0.0.1:{listener.getsockname()[1]}/pay", "timeout_s": 0.5}
            with pytest.raises(ToolError) as info:
                await TOOL.run(TOOL.spec.input_model.model_validate(args), ctx)
        finally:
            for filler in fillers:
                filler.close()
    assert info.value.retryable and info.value.code == "timeout"
    assert "may have been processed" not in str(info.value)


async def test_a_keyed_post_replayed_to_another_origin_without_its_key_is_sent_once(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """A 307 replays the POST's body; to another origin the key is not carried (only safe headers are), so
    the server there cannot tell a retry from a new payment: what may be resent is the last hop's to say."""
    there = Counting(500)
    with http_server(there) as other_origin:

        def elsewhere(request: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
            return 307, {"Location": f"{other_origin}/pay"}, b""

        with http_server(elsewhere) as url:
            plan = step_plan(f"{url}/pay", headers={"Idempotency-Key": "pay-42"})
            step = await failed_step(client, task_queue, tmp_path, plan)
    assert there.received == ["POST"], "the other origin got the keyless POST once, not once per attempt"
    assert not step.error.retryable and "may have been processed" in step.error.message


async def test_a_post_outliving_its_step_timeout_is_sent_once(client: Client, task_queue: str, tmp_path: Path) -> None:
    """The step's timeout_s (the activity's start-to-close) is shorter than the call's: Temporal's timeout
    fired first, said nothing of the POST sent, and the attempt was retried: one payment per attempt."""
    server = Counting(200, delay_s=6.0)
    with http_server(server) as url:
        plan = step_plan(url, timeout_s=30)
        plan["nodes"][0]["timeout_s"] = 3
        step = await failed_step(client, task_queue, tmp_path, plan)
    assert server.received == ["POST"], "posted once, not once per attempt (3 before)"
    assert step.attempts == 1 and step.error.code == "timeout" and not step.error.retryable


async def test_a_post_refused_with_503_each_time_is_sent_as_often_as_the_tool_retries(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """One Temporal attempt for a keyless POST (a timeout or a lost worker would resend it), yet the
    server's 'not processed' is still retried, within that attempt."""
    server = Counting(503, then=503)
    with http_server(server) as url:
        step = await failed_step(client, task_queue, tmp_path, step_plan(url))
    assert server.received == ["POST"] * RETRY_HINTS.max_attempts and step.attempts == 1


def test_a_call_that_may_not_be_resent_gets_one_temporal_attempt() -> None:
    """Whatever the node's retry says: a start-to-close or heartbeat timeout (a worker lost mid-request)
    is retried by Temporal with no word from the tool on what the server did."""
    calls = {
        "post": ({"method": "POST", "url": "https://api.example.com/pay"}, 1),
        "patch": ({"method": "PATCH", "url": "https://api.example.com/pay"}, 1),
        "keyed": ({"method": "POST", "url": "https://a.example.com/", "headers": {"Idempotency-Key": "k1"}}, 3),
        "get": ({"url": "https://api.example.com/feed"}, 3),
        "delete": ({"method": "DELETE", "url": "https://api.example.com/pay/1"}, 3),
        # An input's value is known at the plan's check: a GET by reference was 1 before, an empty key by one 3.
        "get_by_reference": ({"method": "${inputs.verb}", "url": "https://api.example.com/"}, 3),
        "post_by_reference": ({"method": "${inputs.post}", "url": "https://api.example.com/"}, 1),
        "still_to_be_given": ({"method": "${inputs.later}", "url": "https://api.example.com/"}, 1),
        "empty_key": ({"method": "POST", "url": "https://a.example.com/", "headers": {"idempotency-key": ""}}, 1),
        "empty_key_by_reference": (
            {"method": "POST", "url": "https://a.example.com/", "headers": {"idempotency-key": "${inputs.key}"}},
            1,
        ),
        # A GET whose headers are a reference is a GET: 1 before, its retries lost.
        "get_headers_by_reference": ({"url": "https://api.example.com/feed", "headers": "${inputs.headers}"}, 3),
    }
    nodes = [{"id": name, "tool": "http_request", "args": args, "retry": RETRY} for name, (args, _) in calls.items()]
    inputs = {"verb": "GET", "post": "POST", "later": None, "key": "", "headers": {"Accept": "text/plain"}}
    schedule = prepare_plan(parse_plan({"name": "calls", "inputs": inputs, "nodes": nodes}), registry())
    attempts = [schedule.profiles[i].retry.max_attempts for i in schedule.profile_of]
    assert attempts == [most for _, most in calls.values()], "3 for every call before"


def test_each_call_of_a_node_has_the_attempts_its_own_tool_and_arguments_allow() -> None:
    """An alternative ran with its node's options: a GET falling back to a POST had 3 attempts for the POST
    too, until the node was cut to one for its alternative's sake (its GET lost its retries). Each has its own
    now; a node asking 10 attempts of a POST still gets one, its GET alternative the 10 asked (its tool's own 3
    for a while), and an alternative no more than its node asked."""
    feed = {"url": "https://api.example.com/feed"}
    post = {"method": "POST", "url": "https://api.example.com/pay"}
    many = {"max_attempts": 10, "initial_interval_s": 0.1}
    nodes = [
        {"id": "fallback", "tool": "http_request", "args": feed, "retry": RETRY,
         "alternatives": [{"tool": "http_request", "args": post}, {"tool": "http_request", "args": feed}]},
        {"id": "plain", "tool": "http_request", "args": feed, "retry": RETRY},
        {"id": "ten", "tool": "http_request", "args": post, "retry": many,
         "alternatives": [{"tool": "http_request", "args": feed}]},
        {"id": "once", "tool": "http_request", "args": feed, "retry": {"max_attempts": 1},
         "alternatives": [{"tool": "http_request", "args": feed}]},
    ]  # fmt: skip
    schedule = prepare_plan(parse_plan({"name": "calls", "nodes": nodes}), registry())
    attempts = [schedule.profiles[i].retry.max_attempts for i in schedule.profile_of]
    assert attempts == [3, 3, 1, 1], "[1, 3, 1, 1] before: the GET's retries lost to its alternative"
    assert schedule.fallback_attempts == {"fallback": [1, 3], "ten": [10], "once": [1]}, "none before"


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "http://example.com/pay"])
@pytest.mark.parametrize("headers", [{}, {"Idempotency-Key": "k-1"}])
async def test_a_post_redirected_where_the_network_policy_forbids_is_sent_once(
    client: Client, task_queue: str, tmp_path: Path, target: str, headers: dict[str, str]
) -> None:
    """A 307 to an address or a host no rule allows: refused before that hop is sent, the plan's mistake (not
    retried), so the first server is not sent the POST again either, key or none."""
    received: list[str] = []

    def moved(request: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        received.append(request.command)
        return 307, {"Location": target}, b""

    with http_server(moved) as url:
        step = await failed_step(client, task_queue, tmp_path, step_plan(f"{url}/pay", headers=headers))
    assert received == ["POST"], received
    assert step.error.code in ("host_not_allowed", "address_not_allowed"), step.error


async def test_a_post_its_plan_gives_one_attempt_is_sent_once_though_turned_away(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """A keyless POST has one Temporal attempt whether the plan asks 1 or 3: the tool's 3 tries within it
    sent it 3 times to a plan that asked 1."""
    server = Counting(503, then=503)
    plan = step_plan("")
    with http_server(server) as url:
        plan["nodes"][0]["args"]["url"] = url
        plan["nodes"][0]["retry"] = {"max_attempts": 1}
        step = await failed_step(client, task_queue, tmp_path, plan)
    assert server.received == ["POST"], "3 before"
    assert step.attempts == 1 and step.error.code == "http_503"
