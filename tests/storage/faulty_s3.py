"""A loopback HTTP proxy in front of the local S3 server (moto, its own process) that answers chosen requests itself:
what a real S3 or the network between does that moto never does (403 for a missing key where the worker may not list
the bucket, a 503 storm, a body cut short). ``fault(method, path)`` returns None to pass the request on, or how to
answer: (status, body) sent as it is; "cut": the real answer's headers and half its body, then the connection closed;
"flip": the real answer with one bit of its body changed (a damaged transfer: its length as S3 said); "trickle": the real
answer's headers, then its body a byte every TRICKLE_S (each byte well within any timeout of a read), until the client
goes."""

from __future__ import annotations

import contextlib
import http.client
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal
from urllib.parse import urlsplit

Answer = tuple[int, bytes] | Literal["cut", "flip", "trickle"] | None
Fault = Callable[[str, str], Answer]
TRICKLE_S = 0.2
_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length", "host"})


def _handler(upstream: str, fault: Fault, seen: list[tuple[str, str]]) -> type[BaseHTTPRequestHandler]:
    target = urlsplit(upstream)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _body(self) -> bytes:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                chunks = []
                while size := int(self.rfile.readline().split(b";")[0], 16):
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
                while self.rfile.readline() not in (b"\r\n", b""):
                    pass  # trailers: aws-chunked bodies carry theirs inside
                return b"".join(chunks)
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _answer(self) -> None:
            body = self._body()
            seen.append((self.command, self.path))
            answer = fault(self.command, self.path)
            if isinstance(answer, tuple):
                status, text = answer
                self.send_response(status)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(text)
                return
            upstream_connection = http.client.HTTPConnection(target.hostname or "", target.port, timeout=60)
            try:
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
                upstream_connection.request(self.command, self.path, body=body, headers=headers)
                response = upstream_connection.getresponse()
                data = response.read()
            finally:
                upstream_connection.close()
            self.send_response(response.status)
            for name, value in response.getheaders():
                if name.lower() not in _HOP:
                    self.send_header(name, value)
            length = len(data) if self.command != "HEAD" else int(response.getheader("Content-Length") or 0)
            self.send_header("Content-Length", str(length))
            self.end_headers()
            if self.command == "HEAD":
                return
            if answer == "cut" and data:
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(2)
                return
            if answer == "trickle":
                with contextlib.suppress(OSError):  # the client gone: the connection shut or reset
                    for at in range(len(data)):
                        self.wfile.write(data[at : at + 1])
                        self.wfile.flush()
                        time.sleep(TRICKLE_S)
                self.close_connection = True
                return
            if answer == "flip" and data:
                data = data[:-1] + bytes([data[-1] ^ 1])
            self.wfile.write(data)

        do_GET = do_PUT = do_HEAD = do_POST = do_DELETE = _answer

    return Handler


@contextlib.contextmanager
def faulty_s3(upstream: str, fault: Fault) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """The proxy's URL, and the (method, path) of every request it was sent."""
    seen: list[tuple[str, str]] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(upstream, fault, seen))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
