"""The codec server against clients that hold on to it: idle connections, a request head or a body
that drips in forever, a Content-Length that is not a number or is too large."""

from __future__ import annotations

import asyncio
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from orchestra import codec_server
from orchestra.codec import EncryptionCodec, new_key
from orchestra.codec_server import CodecServer

# A ceiling for waiting on the server to act, not a measure: the deadlines below are 1 s.
CEILING_S = 20.0


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, int, str]]:
    monkeypatch.setattr(codec_server, "REQUEST_HEAD_TIMEOUT_S", 1.0, raising=False)
    monkeypatch.setattr(codec_server, "BODY_TIMEOUT_S", 1.0, raising=False)
    codec = EncryptionCodec.from_env({"ORCHESTRA_CODEC_KEY": new_key()})
    assert codec is not None
    token = uuid.uuid4().hex
    running = CodecServer(("127.0.0.1", 0), codec, ["http://localhost:8233"], token)
    running.serve_in_thread()
    try:
        yield "127.0.0.1", int(running.server_address[1]), token
    finally:
        close = getattr(running, "close", None)
        if close is not None:
            close()
        else:  # the server this replaced
            running.shutdown()  # type: ignore[attr-defined]
            running.server_close()  # type: ignore[attr-defined]


@contextmanager
def connection(host: str, port: int) -> Iterator[socket.socket]:
    sock = socket.create_connection((host, port), timeout=CEILING_S)
    try:
        yield sock
    finally:
        sock.close()


def answer_or_close(sock: socket.socket) -> bytes:
    """What the server sends before closing (b"" if it closes without a word); raises TimeoutError
    if it does neither within the ceiling."""
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
        if b"\r\n\r\n" in b"".join(chunks):
            break
    return b"".join(chunks)


async def test_idle_connections_are_closed_not_kept(server):
    host, port, _ = server
    with connection(host, port) as a, connection(host, port) as b:
        assert await asyncio.to_thread(answer_or_close, a) == b""
        assert await asyncio.to_thread(answer_or_close, b) == b""


async def test_a_request_head_dripping_in_is_cut_off(server):
    host, port, _ = server

    def drip() -> bool:
        with connection(host, port) as sock:
            sock.settimeout(0.2)
            started = time.monotonic()
            for char in b"POST /decode HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 1000:
                try:
                    sock.send(bytes([char]))
                    if sock.recv(1) == b"":
                        return True  # the server hung up
                except TimeoutError:
                    pass  # nothing from the server yet
                except OSError:
                    return True
                if time.monotonic() - started > CEILING_S:
                    return False
            return False

    assert await asyncio.to_thread(drip), "the server kept a connection whose head never ended"


async def test_bad_or_excessive_lengths_and_slow_bodies_get_an_answer(server):
    host, port, token = server
    head = f"POST /decode HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
    cases = [
        (head + "Content-Length: abc\r\n\r\n{}", b" 400 "),
        (head + f"Content-Length: {200 * 1024 * 1024}\r\n\r\n", b" 413 "),
        (head + "Content-Length: 100\r\n\r\n{}", b" 408 "),  # 98 bytes that never come
    ]
    for request, status in cases:
        with connection(host, port) as sock:
            sock.sendall(request.encode())
            reply = await asyncio.to_thread(answer_or_close, sock)
        assert reply.split(b"\r\n", 1)[0].endswith(status.strip()) or status in reply[:20], (request[-40:], reply[:80])
