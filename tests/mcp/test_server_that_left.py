"""A call that reaches an MCP stdio server which exited on its own, before its connection noticed, says the server
exited (its exit status, its last stderr line) rather than failing with the SDK's raw ``anyio.ClosedResourceError``
(attack339); the call after it starts the server again, as after a killed server. A real server on the MCP SDK
(tests/mcp/leaving_server.py) in the real sandbox, which exits with status 3 right after its first answer."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from orchestra.errors import ToolError
from tests.mcp.support import call_tool, sdk_registry

WAIT_S = 120


async def test_a_call_on_a_server_that_exited_says_so_and_the_next_starts_it_again(tmp_path: Path) -> None:
    registry = sdk_registry(tmp_path, "leaving", "leaving_server.py", WAIT_S)
    assert registry.mcp is not None
    try:
        assert (await call_tool(registry, "leaving.once", WAIT_S)).text == "once"
        connection = registry.mcp._connections["leaving"]
        # The server's stdout has ended; the connection is still closing its session and waiting for the process.
        assert connection._link is not None
        async with asyncio.timeout(WAIT_S):
            await connection._link.ended.wait()
        # A call given the closing connection (one that took it just before): why it failed, and retried.
        with pytest.raises(ToolError) as gone:
            await connection.call_tool("once", {}, WAIT_S)
        message = str(gone.value)
        assert message.startswith("MCP server 'leaving' is gone before the call reached it: "), message
        assert "the server exited with status 3; its stderr ends: leaving after my first call" in message, message
        assert gone.value.retryable, (gone.value.code, message)
        # A call now is given a fresh server.
        assert (await call_tool(registry, "leaving.once", WAIT_S)).text == "once"
        assert registry.mcp._connections["leaving"] is not connection
    finally:
        await registry.aclose()
