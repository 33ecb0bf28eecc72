"""A streamable-HTTP 'MCP server' for the tests that answers the handshake and ``tools/list`` properly,
then answers ``tools/call`` as the last part of its URL path says (``/mcp/<mode>``):

- ``garbage``: a JSON content type, a body that is not JSON;
- ``html``: a page, as a proxy's error page would be;
- ``not-jsonrpc``: JSON that is no JSON-RPC answer (its result is a string);
- ``other-id``: a proper answer, to another request id;
- ``bad-result``: a JSON-RPC answer whose result is no tool result;
- ``big-structured``: a proper answer whose structured content is 60,000 small objects (1.5 MB);
- ``big-event``: the same answer as ``big-structured``, as the message of an event stream;
- ``many-items``: a tool result of more content items than the client takes (each of a type no client knows);
- ``event-garbage``: an event stream whose message is not JSON;
- ``event-cut``: an event stream closed in the middle of its message;
- ``body-cut``: a JSON body shorter than its Content-Length, then the connection closed;
- ``http-500``: an HTTP error status;
- ``http-429``: HTTP 429 with ``Retry-After: 3`` (longer than the tool's own waits, 1 then 2 s);
  ``http-503-long``: HTTP 503 asking to wait a day;
- ``busy-once``: HTTP 503 with ``Retry-After: 1`` to every other call, a proper answer to the next
  (counted in ``Handler.busy_calls``); ``busy-always``: HTTP 503 with ``Retry-After: 0`` to every call
  (counted there too);
- ``redirect``: HTTP 302 to another server, with a user, a password and a token in its query;
  ``redirect-300``: the same as HTTP 300 Multiple Choices (which httpx's own message names by the URL asked);
- ``redirect-hostless``: the same as HTTP 302 to ``http:ann:hunter2@127.0.0.1/x`` (no host: ``//`` left out);
  ``redirect-unclosed``: to ``http://[::1/x?token=s3cret`` (an IPv6 host's ``[`` not closed);
- ``odd-event``: an event stream whose first event's name is 50 characters then the ``X-Token`` header it
  was sent, then the proper answer;
- ``own-32000``: a JSON-RPC error of its own with code -32000 (the SDK's code for a closed stream);
- ``forget``: at the first call, forgets every session it gave so far (as a restarted server does:
  HTTP 404 for them), then answers properly on sessions it gives after;
- ``echo-status``: a broken status line that quotes the ``X-Token`` header it was sent, then the
  connection closed (the request's headers echoed into what the client's HTTP library reports);
- ``prime-loop``: an event stream that only primes (an event id, ``retry: 0``, no message) and ends, and
  the same for every reconnection (GET with Last-Event-ID), counted in ``Handler.reconnections``;
- ``get-loop``: its own stream (GET) only primes and ends, every time (counted in ``Handler.streams``);
- ``get-empty``: its own stream ends at once with nothing, every time (counted in ``Handler.streams``);
  it answers a call after ``Handler.slow_s`` seconds;
- ``chatty``: an event stream of notifications for a call, never its answer;
- ``mute-notice``: never answers a notification (the connection left open), answers calls properly;
- ``processing``: ``102 Processing`` without end, never a final answer;
- ``fine``: a proper answer.

Its tools: ``once`` (no annotations: not idempotent) and ``again`` (``idempotentHint``).
"""

from __future__ import annotations

import contextlib
import http.server
import json
import time
from collections.abc import Iterator
from typing import Any

from orchestra.mcp.answers import MAX_CONTENT_ITEMS
from tests import helpers

MUTE_S = 120  # how long a notification waits for its answer in mode ``mute-notice``: past any test's patience
TOOLS = [
    {"name": "once", "description": "acts once", "inputSchema": {"type": "object", "properties": {}}},
    {"name": "again", "description": "acts the same each time", "inputSchema": {"type": "object", "properties": {}},
     "annotations": {"idempotentHint": True}},
]  # fmt: skip


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    sessions_given = 0
    forgotten_below: int | None = None  # sessions numbered below this are unknown (mode ``forget``)
    reconnections = 0  # GETs that resume a stream (mode ``prime-loop``)
    streams = 0  # GETs that open the server's own stream (mode ``get-loop``)
    slow_s = 0.0
    unanswered_notices = 0  # notifications left unanswered (mode ``mute-notice``)
    busy_calls = 0  # calls in mode ``busy-once``

    def do_POST(self) -> None:
        message = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        ident, method = message.get("id"), message.get("method")
        if ident is None:
            if self.path.endswith("/mute-notice"):
                Handler.unanswered_notices += 1
                time.sleep(MUTE_S)
                self.close_connection = True
                return
            self.reply(202, "application/json", b"")
        elif method == "initialize":
            Handler.sessions_given += 1
            self.session = f"s{Handler.sessions_given}"
            self.answer(ident, {"protocolVersion": message["params"]["protocolVersion"], "capabilities": {"tools": {}},
                         "serverInfo": {"name": "unreadable", "version": "1"}})  # fmt: skip
        elif method == "tools/list":
            self.answer(ident, {"tools": TOOLS})
        else:
            self.misbehave(self.path.partition("?")[0].rsplit("/", 1)[-1], ident)

    def do_GET(self) -> None:
        if self.headers.get("Last-Event-ID"):
            Handler.reconnections += 1
            self.prime()
            return
        if self.path.endswith("/get-empty"):
            Handler.streams += 1
            self.cut(200, "text/event-stream", b"")
            return
        if self.path.endswith("/get-loop"):
            Handler.streams += 1
            self.cut(200, "text/event-stream", b"retry: 0\n\n")
            return
        self.reply(405, "text/plain", b"no stream of its own")

    def prime(self) -> None:
        self.cut(200, "text/event-stream", b"id: e1\nretry: 0\nevent: message\ndata: \n\n")

    def do_DELETE(self) -> None:
        self.reply(200, "text/plain", b"")

    def misbehave(self, mode: str, ident: int) -> None:
        done = {"content": [{"type": "text", "text": "done"}]}
        if mode == "garbage":
            self.reply(200, "application/json", b"this is not json")
        elif mode == "html":
            self.reply(200, "text/html", b"<html><body>502 Bad Gateway</body></html>")
        elif mode == "not-jsonrpc":
            self.send_json({"jsonrpc": "2.0", "id": ident, "result": "done"})
        elif mode == "other-id":
            self.send_json({"jsonrpc": "2.0", "id": ident + 7, "result": done})
        elif mode == "bad-result":
            self.send_json({"jsonrpc": "2.0", "id": ident, "result": {"content": "done"}})
        elif mode == "big-structured":
            rows = [{"a": i, "b": "x"} for i in range(60_000)]
            self.send_json({"jsonrpc": "2.0", "id": ident, "result": {**done, "structuredContent": {"items": rows}}})
        elif mode == "big-event":
            rows = [{"a": i, "b": "x"} for i in range(60_000)]
            whole = json.dumps(
                {"jsonrpc": "2.0", "id": ident, "result": {**done, "structuredContent": {"items": rows}}}
            )
            self.reply(200, "text/event-stream", f"event: message\ndata: {whole}\n\n".encode())
        elif mode == "many-items":
            self.send_json(
                {"jsonrpc": "2.0", "id": ident, "result": {"content": [{"type": "x"}] * (MAX_CONTENT_ITEMS + 1)}}
            )
        elif mode == "event-garbage":
            self.reply(200, "text/event-stream", b"event: message\ndata: this is not json\n\n")
        elif mode == "event-cut":
            whole = json.dumps({"jsonrpc": "2.0", "id": ident, "result": done})
            self.cut(200, "text/event-stream", f"event: message\ndata: {whole[:20]}".encode())
        elif mode == "body-cut":
            self.cut(200, "application/json", json.dumps({"jsonrpc": "2.0", "id": ident, "result": done})[:20].encode(),
                     length=500)  # fmt: skip
        elif mode == "http-500":
            self.reply(500, "text/plain", b"internal error")
        elif mode in ("http-429", "http-503-long"):
            self.send_response(429 if mode == "http-429" else 503)
            self.send_header("Retry-After", "3" if mode == "http-429" else "86400")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif mode == "busy-always":
            Handler.busy_calls += 1
            self.send_response(503)
            self.send_header("Retry-After", "0")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif mode == "busy-once":
            Handler.busy_calls += 1
            if Handler.busy_calls % 2:
                self.send_response(503)
                self.send_header("Retry-After", "1")
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self.answer(ident, {"content": [{"type": "text", "text": "done once"}]})
        elif mode in ("redirect", "redirect-300"):
            self.send_response(302 if mode == "redirect" else 300)
            self.send_header("Location", "http://ann:hunter2@127.0.0.1:9/elsewhere?token=s3cret&x")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif mode in ("redirect-hostless", "redirect-unclosed"):
            self.send_response(302)
            hostless = mode == "redirect-hostless"
            self.send_header("Location", "http:ann:hunter2@127.0.0.1/x" if hostless else "http://[::1/x?token=s3cret")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif mode == "odd-event":
            whole = json.dumps({"jsonrpc": "2.0", "id": ident, "result": done})
            odd = "x" * 50 + str(self.headers.get("X-Token"))
            self.reply(
                200, "text/event-stream", f"event: {odd}\ndata: {{}}\n\nevent: message\ndata: {whole}\n\n".encode()
            )
        elif mode == "forget":
            number = int(self.headers.get("Mcp-Session-Id", "s0")[1:])
            if Handler.forgotten_below is None:
                Handler.forgotten_below = Handler.sessions_given + 1
            if number < Handler.forgotten_below:
                self.reply(404, "text/plain", b"no such session")
            else:
                self.answer(ident, done)
        elif mode == "echo-status":
            self.wfile.write(f"HTTP/1.1 2OO {self.headers.get('X-Token')}\r\n\r\n".encode())
            self.wfile.flush()
            self.close_connection = True
        elif mode == "processing":
            with contextlib.suppress(OSError):  # until the client gives up (or far past its bound)
                for _ in range(100_000):
                    self.wfile.write(b"HTTP/1.1 102 Processing\r\n\r\n")
            self.close_connection = True
        elif mode in ("get-loop", "get-empty"):
            time.sleep(Handler.slow_s)
            self.answer(ident, done)
        elif mode == "prime-loop":
            self.prime()
        elif mode == "chatty":
            self.chatter()
        elif mode == "own-32000":
            self.send_json(
                {"jsonrpc": "2.0", "id": ident, "error": {"code": -32000, "message": "the server's own error"}}
            )
        else:
            self.answer(ident, done)

    def chatter(self) -> None:
        """An event stream of progress notifications, one every 0.2 s, and never the answer."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        note = {"jsonrpc": "2.0", "method": "notifications/message", "params": {"level": "info", "data": "working"}}
        with contextlib.suppress(OSError):
            for _ in range(int(MUTE_S / 0.2)):
                self.wfile.write(f"event: message\ndata: {json.dumps(note)}\n\n".encode())
                self.wfile.flush()
                time.sleep(0.2)
        self.close_connection = True

    def answer(self, ident: int, result: dict[str, Any]) -> None:
        self.send_json({"jsonrpc": "2.0", "id": ident, "result": result})

    def send_json(self, body: dict[str, Any]) -> None:
        self.reply(200, "application/json", json.dumps(body).encode())

    def reply(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if getattr(self, "session", None):
            self.send_header("Mcp-Session-Id", self.session)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def cut(self, status: int, content_type: str, body: bytes, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        self.close_connection = True

    def log_message(self, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serving() -> Iterator[str]:
    """The server on a loopback port; yields its base URL (add ``/<mode>``)."""
    with helpers.serving(Handler, daemon_threads=True) as base:
        yield f"{base}/mcp"
