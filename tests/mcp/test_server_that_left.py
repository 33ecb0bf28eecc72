"""A call that reaches an MCP stdio server which exited on its own, before its connection noticed, says the server
exited (its exit status, its last stderr line) rather than failing with the SDK's raw ``anyio.ClosedResourceError``
(attack339); the call after it starts the server again, as after a killed server. A real server on the MCP SDK
(tests/mcp/leaving_server.py) in the real sandbox, which exits with status 3 right after its first answer."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, cast

import pytest

from orchestra.errors import ToolError
from orchestra.registry import ToolRegistry
from orchestra.settings import Settings
from orchestra.tool_spec import ToolContext
from tests.mcp.support import mcp_registry, needs_bwrap, sdk_server, tool_file

CONTEXT = cast(ToolContext, None)
WAIT_S = 120


@pytest.fixture(autouse=True)
def _bwrap() -> None:
    needs_bwrap()


def _registry(tmp_path: Path) -> ToolRegistry:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    entry = sdk_server("leaving", "leaving_server.py", WAIT_S)
    registry = mcp_registry(Settings(workspace=workspace, data_dir=tmp_path / "data"), tool_file(tmp_path, entry))
    assert not registry.server_problems.get("leaving"), registry.server_problems
    return registry


async def _call(registry: ToolRegistry) -> Any:
    tool = registry.get("leaving.once")
    return await asyncio.wait_for(tool.run(tool.spec.input_model.model_validate({}), CONTEXT), WAIT_S)


async def test_a_call_on_a_server_that_exited_says_so_and_the_next_starts_it_again(tmp_path: Path) -> None:
    registry = _registry(tmp_path)
    assert registry.mcp is not None
    try:
        assert (await _call(registry)).text == "once"
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
        assert (await _call(registry)).text == "once"
        assert registry.mcp._connections["leaving"] is not connection
    finally:
        await registry.aclose()
