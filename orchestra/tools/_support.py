"""Small helpers shared by the built-in tools (heartbeats, timeouts, output caps)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from orchestra.tool_spec import ToolContext

if TYPE_CHECKING:
    from orchestra.confinement import Confinement

HEARTBEAT_INTERVAL_S = 1.0


@contextlib.asynccontextmanager
async def heartbeating(ctx: ToolContext, interval_s: float = HEARTBEAT_INTERVAL_S) -> AsyncIterator[None]:
    """Heartbeat in the background while the body awaits something that gives no progress of its own.

    A request waiting for headers or a process that prints nothing would otherwise look dead to
    Temporal's heartbeat timeout.
    """

    async def beat() -> None:
        while True:
            ctx.heartbeat()
            await asyncio.sleep(interval_s)

    task = asyncio.create_task(beat())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def clamp_timeout(timeout_s: float, confinement: Confinement) -> float:
    return min(timeout_s, confinement.max_timeout_s)


def decode(data: bytes, encoding: str = "utf-8") -> str:
    # A cap can cut a multi-byte character in half; replacing it beats failing the whole call.
    return data.decode(encoding, errors="replace")
