"""A redirect that leads a request back where it was sent: a body replayed once, not once per hop."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

import pytest

from orchestra.errors import ToolError
from orchestra.tool_spec import ToolContext
from orchestra.tools.http_request import MAX_REDIRECTS, http_request_tool
from tests.helpers import http_server

TOOL = http_request_tool()


async def call(ctx: ToolContext, **args: object) -> dict[str, object]:
    result = await TOOL.run(TOOL.spec.input_model.model_validate(args), ctx)
    dumped: dict[str, object] = result.model_dump(mode="json")
    return dumped


@pytest.mark.parametrize("status", [307, 308])
async def test_a_post_redirected_to_itself_is_sent_once(ctx: ToolContext, status: int) -> None:
    received: list[str] = []

    def to_itself(request: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        received.append(f"{request.command} {request.path}")
        return status, {"Location": request.path}, b""

    with http_server(to_itself) as url, pytest.raises(ToolError) as info:
        await call(ctx, method="POST", url=f"{url}/pay", json={"pay": 10})
    assert received == ["POST /pay"], "the payment was posted once, not once per redirect (11 before)"
    assert info.value.code == "redirect_loop" and not info.value.retryable
    assert "redirect loop" in str(info.value)


async def test_a_post_in_a_loop_of_two_urls_is_sent_to_each_once(ctx: ToolContext) -> None:
    received: list[str] = []

    def ping_pong(request: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        received.append(request.path)
        return 307, {"Location": "/b" if request.path == "/a" else "/a"}, b""

    with http_server(ping_pong) as url, pytest.raises(ToolError) as info:
        await call(ctx, method="POST", url=f"{url}/a", body="pay 10")
    assert received == ["/a", "/b"] and info.value.code == "redirect_loop"


async def test_a_get_sent_back_to_itself_with_a_cookie_is_followed(ctx: ToolContext) -> None:
    """A server setting a cookie and redirecting to the same URL is common (httpx dropped its own loop
    check for it, encode/httpx#819): a GET changes nothing, and may come back."""

    def cookie_then_page(request: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        if "seen=1" in (request.headers.get("Cookie") or ""):
            return 200, {"Content-Type": "text/plain"}, b"welcome"
        return 302, {"Location": request.path, "Set-Cookie": "seen=1; Path=/"}, b""

    with http_server(cookie_then_page) as url:
        out = await call(ctx, url=f"{url}/home")
    assert out["status"] == 200 and out["text"] == "welcome"


async def test_a_post_sent_back_to_its_path_with_a_new_query_each_time_is_sent_once(ctx: ToolContext) -> None:
    received: list[str] = []

    def new_query_each_time(request: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        received.append(request.path)
        return 307, {"Location": f"/pay?n={len(received)}"}, b""

    with http_server(new_query_each_time) as url, pytest.raises(ToolError) as info:
        await call(ctx, method="POST", url=f"{url}/pay", json={"pay": 10})
    assert received == ["/pay"], "posted 11 times (/pay?n=1 ... /pay?n=10) before"
    assert info.value.code == "redirect_loop"


async def test_a_post_answered_303_is_fetched_with_a_get(ctx: ToolContext) -> None:
    received: list[str] = []

    def see_other(request: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        received.append(f"{request.command} {request.path}")
        return (303, {"Location": request.path}, b"") if request.command == "POST" else (200, {}, b"paid")

    with http_server(see_other) as url:
        out = await call(ctx, method="POST", url=f"{url}/pay", body="x")
    assert received == ["POST /pay", "GET /pay"] and out["text"] == "paid"


async def test_a_get_looping_past_the_hop_limit_fails_clearly(ctx: ToolContext) -> None:
    received: list[str] = []

    def to_itself(request: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        received.append(request.path)
        return 302, {"Location": request.path}, b""

    with http_server(to_itself) as url, pytest.raises(ToolError) as info:
        await call(ctx, url=f"{url}/feed")
    assert len(received) == MAX_REDIRECTS + 1 and info.value.code == "too_many_redirects"
    assert not info.value.retryable
