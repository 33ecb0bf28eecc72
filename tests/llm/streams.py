"""OpenAI-compatible endpoints on loopback (real HTTP) that answer badly over time: a body dripped a byte
at a time, a body that goes on and on, a body of any bytes. Each counts the requests it was sent."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler

from tests.helpers import serving

OPENING = b'{"choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "'


@contextmanager
def streaming(body: Iterator[bytes] | bytes, status: int = 200) -> Iterator[tuple[str, list[str]]]:
    """Serves ``body`` (its chunks written as they come, unframed: the connection's close ends it) to every
    POST; yields the base URL (``/v1``) and the paths asked. Stops writing when the client hangs up or the
    block ends."""
    seen: list[str] = []
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append(self.path)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Connection", "close")
            self.end_headers()
            chunks = [body] if isinstance(body, bytes) else body
            try:
                for chunk in chunks:
                    if stop.is_set():
                        break
                    self.wfile.write(chunk)
                    self.wfile.flush()
            except OSError:
                pass  # the client hung up: what the bound is for

        def log_message(self, *args: object) -> None:
            pass

    with serving(Handler, daemon_threads=True) as url:
        try:
            yield f"{url}/v1", seen
        finally:
            stop.set()


def dripped(every_s: float, count: int) -> Iterator[bytes]:
    """A chat completion's start, then a byte every ``every_s`` seconds, ``count`` times (never closed
    as JSON): each read comes well within any per-read timeout."""
    yield OPENING
    for _ in range(count):
        time.sleep(every_s)
        yield b"x"


def endless(chunk_bytes: int = 1 << 20, count: int = 10_000) -> Iterator[bytes]:
    """A chat completion's start, then ``count`` chunks of text (10 GB by default): no end a client waits for."""
    yield OPENING
    chunk = b"x" * chunk_bytes
    for _ in range(count):
        yield chunk
