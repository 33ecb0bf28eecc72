"""What reading an MCP server's event stream costs the event loop: httpx_sse (the SDK's reader) against
orchestra/mcp/sse.py, over the same bytes handed over in 64 KiB chunks, as a socket gives them. A ticker
sleeps 1 ms at a time beside the reader: the longest gap between its turns is how long the loop was held.

    python -m bench.mcp_sse
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable

import httpx
from httpx_sse import EventSource

from bench.table import print_table
from orchestra.mcp import sse

ANSWER = json.dumps({"jsonrpc": "2.0", "id": 1, "result": {"tools": []}}).encode()
STREAMS: dict[str, bytes] = {
    "20 MB of ':' comments, then the answer": b": keep-alive\n" * (20_000_000 // 13) + b"data: " + ANSWER + b"\n\n",
    "one event of 2 million empty 'data:' lines": b"data:\n" * 2_000_000 + b"data: " + ANSWER + b"\n\n",
    "100,000 events of 'id' alone, then the answer": b"id: 1\n\n" * 100_000 + b"data: " + ANSWER + b"\n\n",
    "one event of 60 MB of data on one line": b"data: " + b"x" * 60_000_000 + b"\n\n",
}


def response(body: bytes) -> httpx.Response:
    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 65536):
            yield body[start : start + 65536]

    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=chunks())


async def measured(read: Callable[[httpx.Response], AsyncIterator[object]], body: bytes) -> tuple[str, str, str]:
    gaps: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now
            if done.is_set():
                return

    ticking = asyncio.create_task(ticker())
    started = time.perf_counter()
    outcome = "read"
    try:
        async for _ in read(response(body)):
            pass
    except sse.StreamRefused as exc:
        outcome = f"refused: {exc}"
    took = time.perf_counter() - started
    done.set()
    await ticking  # its last gap, taken now, counts a reader that never gave it a turn
    return f"{took:.2f}", f"{max(gaps) * 1000:.0f}", outcome


async def main() -> None:
    rows = []
    for name, body in STREAMS.items():
        for reader, read in (("httpx_sse", lambda r: EventSource(r).aiter_sse()), ("sse.events", sse.events)):
            rows.append((name, reader, *await measured(read, body)))
    print_table(
        "Reading one event stream (s; the loop's longest hold, ms)",
        ["stream", "reader", "s", "held ms", "outcome"],
        rows,
    )


if __name__ == "__main__":
    asyncio.run(main())
