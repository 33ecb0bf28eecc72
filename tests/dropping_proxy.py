"""A loopback TCP proxy in front of the Temporal frontend that breaks the connection under chosen gRPC
calls: what a loaded server or network does to a client (the call fails with a transient status while
the server is fine). It counts the HTTP/2 HEADERS frames that open a stream (one per call) across all
connections and drops the whole connection when ``drop(n)`` says so for the n-th call (from 1)."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterator

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
HEADERS, FRAME_HEADER = 0x1, 9


class DroppingProxy:
    def __init__(self, upstream: str, drop: Callable[[int], bool]) -> None:
        host, port = upstream.rsplit(":", 1)
        self._upstream = (host, int(port))
        self._drop = drop
        self.calls = 0
        self.dropped = 0
        self.address = ""

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def _client_side(
        self, reader: asyncio.StreamReader, up: asyncio.StreamWriter, down: asyncio.StreamWriter
    ) -> None:
        """Client to server, frame by frame: a HEADERS frame on a stream not seen yet is a new call."""
        try:
            up.write(await reader.readexactly(len(PREFACE)))
            opened: set[int] = set()
            while True:
                header = await reader.readexactly(FRAME_HEADER)
                length = int.from_bytes(header[:3])
                stream = int.from_bytes(header[5:9]) & 0x7FFFFFFF
                body = await reader.readexactly(length)
                if header[3] == HEADERS and stream not in opened:
                    opened.add(stream)
                    self.calls += 1
                    if self._drop(self.calls):
                        self.dropped += 1
                        up.transport.abort()
                        down.transport.abort()
                        return
                up.write(header + body)
                await up.drain()
        except (OSError, asyncio.IncompleteReadError):
            up.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self._upstream)
        await asyncio.gather(self._client_side(reader, up_writer, writer), self._pipe(up_reader, writer))

    @contextlib.contextmanager
    def running(self) -> Iterator[DroppingProxy]:
        loop = asyncio.new_event_loop()
        ready = threading.Event()

        async def main() -> None:
            server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
            self.address = f"127.0.0.1:{server.sockets[0].getsockname()[1]}"
            ready.set()
            async with server:
                with contextlib.suppress(asyncio.CancelledError):
                    await server.serve_forever()

        thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
        thread.start()
        ready.wait(10)
        try:
            yield self
        finally:
            for task in asyncio.all_tasks(loop):
                loop.call_soon_threadsafe(task.cancel)
            thread.join(10)
