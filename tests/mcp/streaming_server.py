"""An MCP server over streamable HTTP (standard library only) that answers tools/list with an event stream
shaped as its second argument says, on the loopback port its first argument names:

- ``plain``: not hostile: CRLF line ends, a comment, the answer's JSON split over two 'data:' lines;
- ``comments``: SIZE bytes of ':' comment lines before the answer;
- ``data-lines``: the answer's event led by SIZE empty 'data:' lines (JSON that starts with blank lines);
- ``long-id``: the answer's event with an id of SIZE bytes (a client sends it back when it resumes);
- ``split-bom``: a byte order mark (which a stream may start with), its first two bytes written alone;
- ``own-stream``: its own stream (GET) sends notifications without end the first SIZE times it is
  opened, and a ping the next; tools/call says whether the answer to that ping came ('pinged' or 'not
  pinged');
- ``own-retry``: its own stream (GET) asks its client to wait 999,999,999 ms (11.6 days) before opening
  it again and ends, then sends a ping when opened again; tools/call as in ``own-stream``;
- ``own-resume``: its own stream (GET) sends SIZE notifications, then a ping, each with an id, and resumes
  after the Last-Event-ID its client sends back; tools/call as in ``own-stream``;
- ``priming``: SIZE priming events (an id, empty data: where to resume, no message), then the answer;
- ``ask-deaf``: not a stream shape: answers tools/call by an event stream that asks SIZE pings before the
  answer, and never acknowledges a POST that carries the client's answers (it holds them open).

Every other request of the client's is answered with JSON; it offers no stream of its own (GET: 405).
"""

from __future__ import annotations

import contextlib
import http.server
import itertools
import json
import sys
import time
from typing import Any

PORT, MODE = int(sys.argv[1]), sys.argv[2]
SIZE = int(sys.argv[3]) if len(sys.argv) > 3 else 0
PINGED = False
SESSIONS = itertools.count(1)
OPENED: dict[str, int] = {}  # how many times each session's own stream was opened
OWN = ("own-stream", "own-retry", "own-resume")  # the modes with a stream of their own
NOTICE = {"jsonrpc": "2.0", "method": "notifications/message", "params": {"level": "debug", "data": 0}}
TOOLS = {"tools": [{"name": "plain", "inputSchema": {"type": "object"}}]}


def stream(answer: dict[str, Any]) -> bytes:
    body = json.dumps(answer)
    if MODE == "plain":
        half = body.index(", ") + 1  # between two members: a line end there is JSON's whitespace
        return f": hello\r\nevent: message\r\ndata: {body[:half]}\r\ndata: {body[half:]}\r\n\r\n".encode()
    if MODE == "comments":
        comment = b": keep-alive\n"
        return comment * (SIZE // len(comment)) + f"data: {body}\n\n".encode()
    if MODE == "data-lines":
        return b"data:\n" * SIZE + f"data: {body}\n\n".encode()
    if MODE == "long-id":
        return f"id: {'7' * SIZE}\ndata: {body}\n\n".encode()
    if MODE == "split-bom":
        return "\ufeff".encode() + f"data: {body}\n\n".encode()
    if MODE == "priming":
        return b"id:1\ndata:\n\n" * SIZE + f"data: {body}\n\n".encode()
    if MODE in ("ask-deaf", *OWN):
        return f"data: {body}\n\n".encode()
    raise SystemExit(f"unknown mode {MODE}")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        request = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        method, ident = request.get("method"), request.get("id")
        if MODE in OWN and method is None and ident == "own-ping":
            global PINGED
            PINGED = True
        if MODE == "ask-deaf" and method is None:
            time.sleep(3600)  # an answer to one of its pings: never acknowledged
        if MODE == "ask-deaf" and method == "tools/call":
            pings = "".join(
                f"data: {json.dumps({'jsonrpc': '2.0', 'id': f'p{i}', 'method': 'ping'})}\n\n" for i in range(SIZE)
            )
            answer = {"jsonrpc": "2.0", "id": ident, "result": {"content": [{"type": "text", "text": "done"}]}}
            self.reply(200, f"{pings}data: {json.dumps(answer)}\n\n".encode(), "text/event-stream")
        elif ident is None:
            self.reply(202, b"", "application/json")
        elif method == "initialize":
            result = {"protocolVersion": request["params"]["protocolVersion"], "capabilities": {"tools": {}},
                      "serverInfo": {"name": "streaming", "version": "1"}}  # fmt: skip
            self.reply(200, json.dumps({"jsonrpc": "2.0", "id": ident, "result": result}).encode(), "application/json")
        elif method == "tools/list":
            self.reply(200, stream({"jsonrpc": "2.0", "id": ident, "result": TOOLS}), "text/event-stream")
        else:
            text = ("pinged" if PINGED else "not pinged") if MODE in OWN else "done"
            answer = {"jsonrpc": "2.0", "id": ident, "result": {"content": [{"type": "text", "text": text}]}}
            self.reply(200, json.dumps(answer).encode(), "application/json")

    def do_GET(self) -> None:
        if MODE not in OWN:
            self.reply(405, b"", "text/plain")
            return
        session = self.headers.get("Mcp-Session-Id") or ""
        OPENED[session] = opened = OPENED.get(session, 0) + 1
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        if MODE == "own-resume":
            sent = [NOTICE] * SIZE + [{"jsonrpc": "2.0", "id": "own-ping", "method": "ping"}]
            after = int(self.headers.get("Last-Event-ID") or 0)
            self.wfile.write(
                b"".join(f"id: {i}\ndata: {json.dumps(m)}\n\n".encode() for i, m in enumerate(sent, 1) if i > after)
            )
            self.wfile.flush()
            time.sleep(3600)
            return
        if MODE == "own-retry" and opened == 1:
            self.wfile.write(b"retry: 999999999\nid: 1\ndata:\n\n")
            return
        if MODE == "own-stream" and opened <= SIZE:
            notice = json.dumps(NOTICE)
            with contextlib.suppress(OSError):  # until its client closes the stream
                while True:
                    self.wfile.write(f"data: {notice}\n\n".encode() * 1000)
        self.wfile.write(f"data: {json.dumps({'jsonrpc': '2.0', 'id': 'own-ping', 'method': 'ping'})}\n\n".encode())
        self.wfile.flush()
        time.sleep(3600)  # a server's own stream stays open

    def do_DELETE(self) -> None:
        self.reply(200, b"", "text/plain")

    def reply(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        # A session of its own for each link: what its own stream does depends on how often it was opened.
        self.send_header("Mcp-Session-Id", self.headers.get("Mcp-Session-Id") or f"s{next(SESSIONS)}")
        self.end_headers()
        if MODE == "split-bom" and content_type == "text/event-stream":
            self.wfile.write(body[:2])
            self.wfile.flush()
            time.sleep(0.5)  # the client reads what came: a first chunk of two bytes
            body = body[2:]
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
