"""What answers on a local port `up` finds taken, said in a message, so that `up` refuses a stranger on its
ports rather than use it: a demo site port taken by a gRPC server made the example's fetch fail much later
with "illegal request line" (its HTTP/2 greeting), and nothing said which port or setting was to blame."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

from orchestra.text import printable

PROBE_TIMEOUT_S = 5.0
_MOST = 8192  # an HTTP head fits; a stranger that streams is not read further
_SHOWN = 24  # bytes of a non-HTTP answer shown in a message


@dataclass(frozen=True)
class Answer:
    """``said``: what answered, for a message. ``server``: its HTTP ``Server`` header, if it answered HTTP/1
    with one. ``http1``: it answered HTTP/1 at all (a Temporal frontend never does: it speaks gRPC). ``not_grpc``: what
    it sent, or its closing unanswered, is no gRPC server's (one greets any client with its HTTP/2 settings first);
    False when nothing is known (no connection, no answer in time)."""

    said: str
    server: str | None = None
    http1: bool = False
    not_grpc: bool = False


async def what_answers(port: int, host: str = "127.0.0.1") -> Answer:
    """Asks ``HEAD /`` of ``host:port`` and says what came back."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), PROBE_TIMEOUT_S)
    except (OSError, TimeoutError) as exc:
        return Answer(f"nothing that accepts a connection now ({exc or type(exc).__name__})")
    try:
        writer.write(f"HEAD / HTTP/1.0\r\nHost: {host}:{port}\r\n\r\n".encode())
        head = await asyncio.wait_for(_head(reader), PROBE_TIMEOUT_S)
    except TimeoutError:
        return Answer(f"a server that did not answer an HTTP request within {PROBE_TIMEOUT_S:.0f} s")
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
    return _said(head)


async def _head(reader: asyncio.StreamReader) -> bytes:
    """What the server sent until its head ended, it closed, or it reset the connection (a gRPC server
    sends its HTTP/2 settings, then resets a client that greeted it in HTTP/1: keep what it sent)."""
    head = b""
    with contextlib.suppress(OSError):
        while b"\r\n\r\n" not in head and len(head) < _MOST:
            chunk = await reader.read(_MOST)
            if not chunk:
                break
            head += chunk
    return head


def _said(head: bytes) -> Answer:
    if not head:
        return Answer("a server that closed the connection without answering an HTTP request", not_grpc=True)
    if head.startswith(b"HTTP/"):
        lines = head.decode("latin-1").split("\r\n")
        server = next((line.split(":", 1)[1].strip() for line in lines[1:] if line.lower().startswith("server:")), None)
        status = printable(lines[0])
        return Answer(
            f"an HTTP server ({status}, Server: {printable(server or 'not said')})", server, http1=True, not_grpc=True
        )
    if len(head) >= 9 and head[3] == 0x04:  # an HTTP/2 frame header whose type is SETTINGS: the server's greeting
        return Answer(f"a server speaking HTTP/2 (gRPC?), not HTTP/1: it answered {head[:_SHOWN]!r}")
    return Answer(f"a server that does not speak HTTP: it answered {head[:_SHOWN]!r}", not_grpc=True)
