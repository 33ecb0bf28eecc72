"""A proxy in front of an MCP server over HTTP, on loopback: it relays each connection byte for byte, but answers a
request that holds ``tools/call`` with an answer of its own (a 101, endless 102s, a head without end) and counts
those requests. ``hold``: it then keeps the connection until the client leaves; else it closes it."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit

SWITCH = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"


class AnsweringProxy:
    def __init__(self, upstream: str, answer: bytes, *, hold: bool) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "", parts.port or 80)
        self.answer, self.hold = answer, hold
        self.calls = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]

    def serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        # The client's last request (closing its session) may come after the upstream has stopped: nothing to relay.
        with client, contextlib.suppress(OSError), socket.create_connection(self.upstream) as server:
            threading.Thread(target=self._pump, args=(server, client), daemon=True).start()
            while data := client.recv(65536):
                if b"tools/call" in data:
                    self.calls += 1
                    client.sendall(self.answer)
                    client.settimeout(60)
                    while self.hold and client.recv(65536):  # until the client gives up on it
                        pass
                    return
                server.sendall(data)

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)


@contextlib.contextmanager
def answering_proxy(upstream: str, answer: bytes, *, hold: bool = True) -> Iterator[tuple[AnsweringProxy, str]]:
    """The proxy, serving, and the URL of ``upstream``'s MCP endpoint through it."""
    proxy = AnsweringProxy(upstream, answer, hold=hold)
    threading.Thread(target=proxy.serve, daemon=True).start()
    try:
        yield proxy, f"http://127.0.0.1:{proxy.port}{urlsplit(upstream).path}"
    finally:
        proxy.listener.close()
