from __future__ import annotations

import encodings
import socket
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from pydantic import ValidationError

from orchestra.confinement import Confinement
from orchestra.errors import ToolError, ToolValidationError
from orchestra.tool_spec import ToolContext
from orchestra.tools.http_request import http_request_tool, perform_request
from tests.tools.conftest import CHARSET_BODY, CP1252_TEXT, LOOPBACK

TOOL = http_request_tool()


async def call(ctx: ToolContext, **args: object) -> dict[str, Any]:
    model = TOOL.spec.input_model.model_validate(args)
    result = await TOOL.run(model, ctx)
    dumped: dict[str, Any] = result.model_dump(mode="json")
    return dumped


async def test_get_json(ctx: ToolContext, http_base: str) -> None:
    beats: list[tuple[object, ...]] = []
    ctx.heartbeat = lambda *d: beats.append(d)
    out = await call(ctx, url=f"{http_base}/json")
    assert out["status"] == 200
    assert out["json"] == {"hello": "world", "n": 1}
    assert out["truncated"] is False
    assert out["headers"]["content-type"] == "application/json"
    assert out["url"] == f"{http_base}/json"
    assert beats, "the tool should heartbeat while it works"


async def test_html_is_text_not_json(ctx: ToolContext, http_base: str) -> None:
    out = await call(ctx, url=f"{http_base}/html")
    assert "<title>" in out["text"]
    assert out["json"] is None


async def test_post_json_params_and_headers(ctx: ToolContext, http_base: str) -> None:
    out = await call(
        ctx,
        method="POST",
        url=f"{http_base}/echo?a=1",
        params={"b": "two", "c": 3},
        headers={"X-Token": "secret"},
        json={"k": [1, 2]},
    )
    echoed = out["json"]
    assert echoed["method"] == "POST"
    assert echoed["query"] == {"a": ["1"], "b": ["two"], "c": ["3"]}
    assert echoed["headers"]["x-token"] == "secret"
    assert echoed["headers"]["content-type"] == "application/json"
    assert echoed["body"] == '{"k": [1, 2]}'


async def test_text_body(ctx: ToolContext, http_base: str) -> None:
    out = await call(ctx, method="PUT", url=f"{http_base}/echo", body="plain words")
    assert out["json"]["body"] == "plain words"


async def test_json_and_body_refused(ctx: ToolContext, http_base: str) -> None:
    with pytest.raises(ToolValidationError):
        await call(ctx, url=f"{http_base}/echo", json={"a": 1}, body="x")


async def test_404_is_not_retryable(ctx: ToolContext, http_base: str) -> None:
    with pytest.raises(ToolError) as info:
        await call(ctx, url=f"{http_base}/notfound")
    assert info.value.retryable is False
    assert info.value.code == "http_404"
    assert "no such thing" in str(info.value)


@pytest.mark.parametrize(("path", "code"), [("/unavailable", "http_503"), ("/ratelimited", "http_429")])
async def test_5xx_and_429_are_retryable(ctx: ToolContext, http_base: str, path: str, code: str) -> None:
    with pytest.raises(ToolError) as info:
        await call(ctx, url=f"{http_base}{path}")
    assert info.value.retryable is True
    assert info.value.code == code


async def test_error_status_returned_without_raise_for_status(ctx: ToolContext, http_base: str) -> None:
    out = await call(ctx, url=f"{http_base}/notfound", raise_for_status=False)
    assert out["status"] == 404
    assert out["json"] == {"error": "no such thing"}


async def test_redirect_within_allowed_hosts(ctx: ToolContext, http_base: str) -> None:
    out = await call(ctx, url=f"{http_base}/redirect-in")
    assert out["status"] == 200
    assert out["url"] == f"{http_base}/json"


async def test_redirect_not_followed_when_disabled(ctx: ToolContext, http_base: str) -> None:
    out = await call(ctx, url=f"{http_base}/redirect-in", follow_redirects=False)
    assert out["status"] == 302
    assert out["headers"]["location"] == "/json"


async def test_redirect_to_disallowed_host_refused(ctx: ToolContext, http_base: str) -> None:
    with pytest.raises(ToolValidationError) as info:
        await call(ctx, url=f"{http_base}/redirect-out")
    assert info.value.code == "host_not_allowed"


async def test_disallowed_host_and_scheme(ctx: ToolContext) -> None:
    with pytest.raises(ToolValidationError):
        await call(ctx, url="http://example.com/")
    with pytest.raises(ValidationError, match="scheme 'file' is not allowed"):  # refused when the plan is validated
        await call(ctx, url="file:///etc/passwd")


async def test_output_is_capped(workspace: Path, http_base: str) -> None:
    ctx = ToolContext(confinement=Confinement(workspace=workspace, max_output_bytes=100, allowed_hosts=LOOPBACK))
    out = await call(ctx, url=f"{http_base}/big")
    assert out["truncated"] is True
    assert out["text"] == "x" * 100


async def test_timeout_is_retryable(ctx: ToolContext, http_base: str) -> None:
    with pytest.raises(ToolError) as info:
        await call(ctx, url=f"{http_base}/slow", timeout_s=0.2)
    assert info.value.retryable is True
    assert info.value.code == "timeout"


async def test_connection_refused_is_retryable(ctx: ToolContext) -> None:
    # Bound but not listening for the whole call: connecting is refused, and no other process can
    # start listening on the port meanwhile.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        with pytest.raises(ToolError) as info:
            await call(ctx, url=f"http://127.0.0.1:{sock.getsockname()[1]}/")
    assert info.value.retryable is True
    assert info.value.code == "connection_error"


def test_spec() -> None:
    spec = TOOL.spec
    assert spec.secret_args == ["headers"]
    assert "json" in spec.input_schema()["properties"]
    assert "json" in (spec.output_schema() or {})["properties"]
    assert spec.input_schema()["additionalProperties"] is False


@pytest.mark.parametrize(
    ("allowed", "url", "ok"),
    [
        ("10.0.0.*", "http://10.0.0.5/", True),
        ("10.0.0.*", "http://10.0.0.5.nip.io/", False),
        ("10.0.0.0/24", "http://10.0.0.9/", True),
        ("*.example.com", "http://api.example.com/", True),
        ("*.example.com", "http://example.com.evil.net/", False),
    ],
)
def test_host_patterns(tmp_path, allowed, url, ok):
    from orchestra.confinement import Confinement
    from orchestra.errors import ToolValidationError

    confinement = Confinement(workspace=tmp_path, allowed_hosts=(allowed,))
    if ok:
        assert confinement.check_url(url) == url
    else:
        with pytest.raises(ToolValidationError):
            confinement.check_url(url)


BAD_HEADERS = [
    ({"X-A": "a\r\nInjected: 1"}, "'X-A': its value holds a line break"),
    ({"X-A": "a\x00b"}, "'X-A': its value holds a line break or another control character"),
    ({"X A:": "a"}, "header name 'X A:' is not a valid HTTP header name"),
    ({"X-A": "café"}, "'X-A': its value holds characters beyond ASCII"),
    ({"X-A": "Bearer abc "}, "'X-A': its value begins or ends with a space or tab"),
    ({"X-A :": "a"}, "header name 'X-A :' is not a valid HTTP header name"),
]


@pytest.mark.parametrize(
    ("headers", "said"), BAD_HEADERS, ids=["crlf", "nul", "name", "non-ascii", "edge-space", "name-space"]
)
async def test_a_header_http_cannot_carry_is_refused_not_retried(
    ctx: ToolContext, http_base: str, headers: dict[str, str], said: str
) -> None:
    """Written in a plan, refused when the plan is validated; filled in at run time (a reference, a described
    tool's placeholder), refused before sending, not sent and failed as a connection error that is retried."""
    with pytest.raises(ValueError, match=said):
        TOOL.spec.input_model.model_validate({"url": f"{http_base}/json", "headers": headers})
    with pytest.raises(ToolValidationError, match=said) as refused:
        await perform_request(ctx, method="GET", url=f"{http_base}/json", headers=headers)
    assert not refused.value.retryable and refused.value.code == "bad_header"
    assert "Injected" not in str(refused.value) and "café" not in str(refused.value)  # a value may be a secret


@pytest.mark.parametrize("method", ["get ", "G(T", ""])
async def test_a_method_http_cannot_carry_is_refused_not_retried(ctx: ToolContext, http_base: str, method: str) -> None:
    """A described tool's or another caller's method, given to perform_request: a connection error before,
    and a POST-like 'may have been processed'."""
    with pytest.raises(ToolValidationError, match="is not a valid HTTP method") as refused:
        await perform_request(ctx, method=method, url=f"{http_base}/json")
    assert not refused.value.retryable and refused.value.code == "bad_method"


@pytest.mark.parametrize("headers", [{"Content-Length": "abc"}, {"Transfer-Encoding": "gzip"}])
async def test_a_request_h11_will_not_send_is_the_callers_mistake(
    ctx: ToolContext, http_base: str, headers: dict[str, str]
) -> None:
    with pytest.raises(ToolValidationError, match="cannot send this request") as refused:
        await perform_request(ctx, method="GET", url=f"{http_base}/json", headers=headers)
    assert not refused.value.retryable and refused.value.code == "bad_request"


@pytest.mark.parametrize("charset", ["punycode", "idna", "rot13", "no-such-charset"])
async def test_a_charset_that_is_slow_or_no_text_encoding_is_read_as_utf8(
    ctx: ToolContext, http_base: str, charset: str
) -> None:
    """The server names the charset: punycode decoded a body in quadratic time on the worker's event loop
    (every step stalled), rot13 or an unknown name failed the call as a system error, retried."""
    out = await call(ctx, url=f"{http_base}/charset?cs={charset}")
    assert out["text"] == CHARSET_BODY


@pytest.mark.parametrize("charset", ["CP-1252", "cp_1252", "Windows 1252", "x-cp1252", '"WINDOWS-1252"', "cp1252 "])
async def test_a_charset_is_read_by_any_spelling_of_its_name(ctx: ToolContext, http_base: str, charset: str) -> None:
    """``CP-1252`` was not recognised (Python knows ``cp1252`` and ``windows-1252``): the body read as UTF-8,
    every accented letter and quotation mark a U+FFFD. Spellings are normalised as the WHATWG labels are."""
    out = await call(ctx, url=f"{http_base}/cp1252?cs={quote(charset)}")
    assert out["text"] == CP1252_TEXT


async def test_endless_charset_names_grow_no_cache(ctx: ToolContext, http_base: str) -> None:
    """Python's codec registry caches every name it is asked for, found or not: a server naming a new
    charset (or a new spelling of one, ``utf--8``, ``utf---8``) in each response grew the worker's memory
    without bound. The registry is asked only for the names of the encodings read here."""
    await call(ctx, url=f"{http_base}/charset?cs=utf-8")
    before = len(encodings._cache)
    for n in range(1, 40):
        for charset in (f"x-{n}-{uuid.uuid4().hex}", "utf" + "-" * n + "8", "cp-" + "_" * n + "1252"):
            out = await call(ctx, url=f"{http_base}/charset?cs={quote(charset)}")
            assert out["text"] == CHARSET_BODY
    assert len(encodings._cache) == before


@pytest.mark.parametrize(
    "url", ["http://[::1/", "http://127.0.0.1:99999/", "http://127.0.0.1:-1/", "http://127.0.0.1:1x/", "ftp://h/"]
)
async def test_a_url_that_cannot_be_read_is_refused_when_validated_and_never_retried(ctx: ToolContext, url: str):
    """An unclosed IPv6 bracket or a port out of range raised ValueError (in the URL check, or in the span's
    safe URL before it): a system error, retried three times; and the plan that held it was valid."""
    with pytest.raises(ValueError, match="URL"):
        TOOL.spec.input_model.model_validate({"url": url})
    with pytest.raises(ToolValidationError) as refused:
        await perform_request(ctx, method="GET", url=url)
    assert not refused.value.retryable and refused.value.code in ("bad_url", "bad_scheme")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/#\x7f",
        "http://127.0.0.1/\x00",
        "http://[::1]x/",
        "http://127.0.0.1\x00/",
        "http://127.0.0.1/?q=\ud800",
        "http://xn--zz.127.0.0.1.nip.io/",
        "http://127.0.0.1:0/",
        "http://\u2603.com/",
    ],
)
async def test_a_url_httpx_cannot_read_is_refused_when_validated_and_never_retried(ctx: ToolContext, url: str):
    """urlsplit reads what httpx, which sends the request, cannot (a control character, text after an IPv6
    bracket, half a surrogate pair): httpx's InvalidURL or UnicodeEncodeError was a system error, retried."""
    with pytest.raises(ValueError, match="URL"):
        TOOL.spec.input_model.model_validate({"url": url})
    with pytest.raises(ToolValidationError) as refused:
        await perform_request(ctx, method="GET", url=url)
    assert not refused.value.retryable and refused.value.code in ("bad_url", "bad_scheme")
