"""A URL whose user info is ambiguous: in ``http://ann:1234/x@h/`` a '/' in the password ends the host part,
so urllib and httpx read host 'ann', port 1234 and a path '/x@h/'. Shown, the password's first part was the
port and the rest the path; sent, it went to host 'ann' (here, the server the port names), which the writer
never meant. It is refused as unreadable, never shown, never connected to."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from pydantic import ValidationError
from temporalio.client import Client

from orchestra.errors import PlanValidationError, ToolError
from orchestra.mcp.config import McpServerDecl
from orchestra.network import DestinationRefused, url_parts
from orchestra.plan import parse_plan
from orchestra.registry import default_registry
from orchestra.shown_url import UNREADABLE, shown_url, url_credentials
from orchestra.telemetry.tracing import safe_url
from orchestra.tool_spec import ToolContext
from orchestra.tools.http_request import http_request_tool
from orchestra.validation import prepare_plan
from tests.helpers import http_server
from tests.helpers import run_plan_to_failure as run_failing

TOOL = http_request_tool()
PASSWORD_PART = "7731"  # all digits: what urllib read as a port
AMBIGUOUS = [
    f"http://ann:{PASSWORD_PART}/x@example.com/feed",
    f"http://ann:{PASSWORD_PART}?x@example.com/feed",
    f"http://ann:{PASSWORD_PART}#x@example.com/feed",
    "http://ann:/x7731@example.com/feed",  # no port at all: the password's '/' still ends the host part
]


@pytest.mark.parametrize("url", AMBIGUOUS)
def test_an_ambiguous_url_is_shown_as_unreadable_and_its_password_masked(url: str) -> None:
    assert shown_url(url) == UNREADABLE, "'http://ann:7731/x@example.com/feed' shown whole before"
    assert safe_url(url) == UNREADABLE, "a span named 'http://ann:7731' before"
    assert any(PASSWORD_PART in value for value in url_credentials(url)), "nothing to mask before"


@pytest.mark.parametrize("url", AMBIGUOUS)
def test_the_network_boundary_refuses_an_ambiguous_url(url: str) -> None:
    with pytest.raises(DestinationRefused) as info:
        url_parts(url)  # ('ann', 7731) before: the host and port the boundary checked and httpx connected to
    assert info.value.code == "bad_url" and PASSWORD_PART not in str(info.value), info.value
    assert "percent-encode" in str(info.value)


@pytest.mark.parametrize(
    "url",
    [
        "https://medium.com/@ann/post",  # an '@' in the path of a URL without a port
        "http://example.com:8080/a%40b",  # an '@' percent-encoded
        "http://ann:p%2F1@example.com:8080/feed",  # a '/' in a password percent-encoded
        "http://[::1]:8080/@ann",  # an IPv6 literal's ':' is no user info's
    ],
)
def test_an_unambiguous_url_is_still_read(url: str) -> None:
    host, _ = url_parts(url)
    assert host in ("medium.com", "example.com", "::1") and shown_url(url) != UNREADABLE


def test_a_plan_with_an_ambiguous_url_is_refused_before_it_runs_without_its_password() -> None:
    plan = {"name": "p", "nodes": [{"id": "get", "tool": "http_request", "args": {"url": AMBIGUOUS[0]}}]}
    with pytest.raises(PlanValidationError) as info:
        prepare_plan(parse_plan(plan), default_registry())
    assert "cannot be read" in str(info.value) and PASSWORD_PART not in str(info.value), info.value


async def test_a_call_to_an_ambiguous_url_connects_to_no_host(ctx: ToolContext) -> None:
    """Read as urllib reads it, ``http://127.0.0.1:PORT/x@example.com/`` is the loopback server: the password
    '<PORT>/x' meant for example.com was the port of a host the writer never named as one."""
    calls: list[str] = []

    def counting(request: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        calls.append(request.path)
        return 200, {}, b"ok"

    with http_server(counting) as url:
        port = url.rsplit(":", 1)[1]
        ambiguous = f"{url}/x@example.com/"
        with pytest.raises(ValidationError):  # the arguments' check; its message is told by problems_of
            TOOL.spec.input_model.model_validate({"url": ambiguous})
        with pytest.raises(ToolError) as info:  # and at the boundary itself, as a redirect's hop meets it
            await TOOL.run(TOOL.spec.input_model.model_construct(url=ambiguous), ctx)
    assert calls == [], "the request went to the host and port the password's first part named"
    assert info.value.code == "bad_url" and f"{port}/x" not in str(info.value), info.value


async def test_a_redirect_to_an_ambiguous_url_is_refused_without_its_password(ctx: ToolContext) -> None:
    calls: list[str] = []

    def moved(request: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        calls.append(request.path)
        return 302, {"Location": "http://127.0.0.1:7731/x@example.com/"}, b""

    with http_server(moved) as url, pytest.raises(ToolError) as info:
        await TOOL.run(TOOL.spec.input_model.model_validate({"url": f"{url}/start"}), ctx)
    assert calls == ["/start"] and info.value.code == "bad_url", info.value
    assert PASSWORD_PART not in str(info.value), info.value


async def test_an_ambiguous_url_known_only_at_run_time_fails_its_step_without_its_password(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    # Known only at run time (a step's output): the plan's check cannot see it, the activity refuses it.
    pick = {"id": "pick", "tool": "json_query", "args": {"data": {"u": AMBIGUOUS[0]}, "expression": "u"}}
    get = {"id": "get", "tool": "http_request", "args": {"url": "${pick.output.result}"}}
    plan = {"name": "p", "nodes": [pick, get]}
    record = await run_failing(client, task_queue, tmp_path, plan)
    step = record.step("get")
    assert step.error is not None and step.attempts == 1, step
    assert PASSWORD_PART not in step.error.message and "cannot be read" in step.error.message, step.error


@pytest.mark.parametrize(
    ("url", "said"),
    [(AMBIGUOUS[0], "cannot be read"), ("ftp://ann:hunter2@example.com/", "is not an http(s) URL")],
)
def test_an_mcp_servers_url_is_refused_at_load_without_its_password(url: str, said: str) -> None:
    """A tool file's server URL: the scheme's refusal quoted it whole; an ambiguous one was refused only when
    a call connected, to the host 'ann' it named."""
    with pytest.raises(ValidationError) as info:
        McpServerDecl.model_validate({"kind": "mcp", "name": "bank", "url": url})
    message = info.value.errors()[0]["msg"]
    assert said in message and PASSWORD_PART not in message and "hunter2" not in message, message
