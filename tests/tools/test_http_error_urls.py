"""Error messages go to the run's history and logs: a credential the plan wrote into a URL is not in them."""

from __future__ import annotations

import socket
from http.server import BaseHTTPRequestHandler

import pytest

from orchestra.errors import ToolError
from orchestra.network import DestinationRefused, url_parts
from orchestra.shown_url import SHOWN_URL_CHARS, shown_url
from orchestra.tool_spec import ToolContext
from orchestra.tools.http_request import http_request_tool
from tests.helpers import http_server

TOOL = http_request_tool()


def with_credentials(url: str) -> str:
    return url.replace("http://", "http://ann:hunter2@") + "/feed?token=s3cret&page=2#key=fragment"


async def failure(ctx: ToolContext, url: str, **args: object) -> ToolError:
    with pytest.raises(ToolError) as info:
        await TOOL.run(TOOL.spec.input_model.model_validate({"url": url, **args}), ctx)
    return info.value


def test_a_url_is_shown_without_user_info_query_values_or_fragment() -> None:
    shown = shown_url("https://ann:hunter2@api.example.com:8443/v1/feed?token=s3cret&page=2&flag#frag")
    assert shown == "https://api.example.com:8443/v1/feed?token=…&page=…&…"
    assert shown_url("http://[::1/") == "(an unreadable URL)"


async def test_an_http_error_names_the_url_without_its_credentials(ctx: ToolContext) -> None:
    with http_server(lambda request: (500, {}, b"server trouble")) as url:
        error = await failure(ctx, with_credentials(url))
    assert error.code == "http_500" and "/feed?token=…&page=…" in str(error)
    for secret in ("ann", "hunter2", "s3cret", "fragment"):
        assert secret not in str(error)


async def test_a_connection_error_names_the_url_without_its_credentials(ctx: ToolContext) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    error = await failure(ctx, with_credentials(url))
    assert error.code == "connection_error" and "hunter2" not in str(error) and "s3cret" not in str(error)


async def test_a_redirect_loop_names_the_url_without_its_credentials(ctx: ToolContext) -> None:
    def to_itself(request: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        return 307, {"Location": request.path}, b""

    with http_server(to_itself) as url:
        error = await failure(ctx, with_credentials(url), method="POST", body="x")
    assert error.code == "redirect_loop" and "hunter2" not in str(error) and "s3cret" not in str(error)


@pytest.mark.parametrize(
    "url",
    [
        "http://ann:hunter2@127.0.0.1:0/feed",  # port 0
        "http://ann:hunter2@[::1/feed",  # an unreadable IPv6 host
        "http://ann:hunter2@127.0.0.1/\x00",  # what httpx will not read
        "http:ann:hunter2@127.0.0.1/feed",  # no host: urlsplit reads it all as a path
    ],
)
def test_a_url_the_boundary_cannot_read_is_refused_without_its_credentials(url: str) -> None:
    """The network boundary's bad_url quoted the plan's URL whole (user:password@ included)."""
    with pytest.raises(DestinationRefused) as info:
        url_parts(url)
    assert info.value.code == "bad_url" and "hunter2" not in str(info.value)


def test_a_long_url_is_named_in_at_most_a_few_hundred_characters() -> None:
    shown = shown_url("http://api.example.com/" + "a/" * 50_000)
    assert len(shown) == SHOWN_URL_CHARS and shown.endswith("…"), "100 KB in every message before"
