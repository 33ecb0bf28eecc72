"""Fixtures for the tool tests: a workspace context and a real HTTP server on loopback."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from orchestra.confinement import Confinement
from orchestra.tool_spec import ToolContext
from tests.helpers import serving

HTML_PAGE = (
    "<html><head><title>  Hello   Page </title><style>p {color: red}</style></head>"
    "<body><h1>Heading</h1><p>First &amp; only paragraph.</p><script>var x = 1;</script></body></html>"
)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str = "application/json", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _route(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = parts.path
        if path == "/json":
            self._send(200, json.dumps({"hello": "world", "n": 1}).encode())
        elif path == "/html":
            self._send(200, HTML_PAGE.encode(), "text/html; charset=utf-8")
        elif path == "/notfound":
            self._send(404, b'{"error": "no such thing"}')
        elif path == "/unavailable":
            self._send(503, b"try later", "text/plain")
        elif path == "/ratelimited":
            self._send(429, b"slow down", "text/plain")
        elif path == "/redirect-in":
            self._send(302, b"", "text/plain", Location="/json")
        elif path == "/redirect-out":
            self._send(302, b"", "text/plain", Location="http://forbidden.example.com/json")
        elif path == "/charset":  # a body in UTF-8 that names another charset (the query's)
            self._send(200, CHARSET_BODY.encode(), f"text/plain; charset={parse_qs(parts.query)['cs'][0]}")
        elif path == "/cp1252":  # a body in cp1252 under the charset name the query spells
            cs = parse_qs(parts.query)["cs"][0]
            self._send(200, CP1252_TEXT.encode("cp1252"), f"text/plain; charset={cs}")
        elif path == "/big":
            self._send(200, b"x" * 5000, "text/plain")
        elif path == "/slow":
            time.sleep(3)
            self._send(200, b"late", "text/plain")
        elif path.startswith("/echo"):
            echoed = {
                "method": self.command,
                "path": path,
                "query": parse_qs(parts.query),
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body.decode(),
            }
            self._send(200, json.dumps(echoed).encode())
        else:
            self._send(404, b"{}")

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _route


# A body in UTF-8 that punycode would decode in quadratic time: seconds of the worker's event loop.
CHARSET_BODY = "a" * 50_000 + "-" + "9" * 64_000
CP1252_TEXT = "caf\u00e9 \u201cquoted\u201d \u2013 \u20ac5"  # every character but ASCII differs in Latin-1


@pytest.fixture(scope="session")
def http_base() -> Iterator[str]:
    with serving(_Handler, daemon_threads=True) as url:
        yield url


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    ws.mkdir()
    return ws


# The tests' HTTP servers listen on loopback, which the network boundary refuses without an address rule.
LOOPBACK = ("127.0.0.1",)


@pytest.fixture
def ctx(workspace: Path) -> ToolContext:
    return ToolContext(confinement=Confinement(workspace=workspace, allowed_hosts=LOOPBACK))
