"""A call cut off by its MCP server exiting says the server exited, with its status and last stderr line, not that
"the connection closed" (attack371 F7: 5 calls of 6 said the latter, the message made before the exit was read). A
real server on the MCP SDK (tests/mcp/exiting_mid_call_server.py) in the real sandbox, exiting with status 5."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.errors import ToolError
from tests.mcp.support import call_tool, sdk_registry

WAIT_S = 120
CALLS = 3


async def test_each_call_cut_off_by_an_exit_says_the_status(tmp_path: Path) -> None:
    registry = sdk_registry(tmp_path, "exiting", "exiting_mid_call_server.py", WAIT_S)
    try:
        for _ in range(CALLS):  # a fresh server each call: each exits in it
            with pytest.raises(ToolError) as cut:
                await call_tool(registry, "exiting.leave", WAIT_S)
            message = str(cut.value)
            assert "the server exited with status 5; its stderr ends: leaving in the middle of a call" in message
            assert "the connection closed" not in message, message
    finally:
        await registry.aclose()
