"""An MCP stdio server's processes together hold no more than ORCHESTRA_SANDBOX_MEMORY_TOTAL_MB: the worker's watchdog
(orchestra/sandbox_memory.py) runs beside each server for as long as its link is open, and past the total stops it.
The call on it fails at once, saying which server, the total and the setting, and is not retried (started again, it
would hold as much again); the worker goes on, and a later call starts the server afresh. Before, a server was
bounded per process only (RLIMIT_AS times its processes). A real server on the MCP SDK (tests/mcp/memory_hog_server.py)
in real bwrap; small sizes (the machine is shared)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from orchestra.errors import ToolError
from tests.mcp.support import call_tool, sdk_registry

TOTAL_MB = 128
# Far longer than the watchdog takes: a call that waits it out was not stopped.
NEVER_S = 120


def _watchdogs() -> list[asyncio.Task[object]]:
    return [task for task in asyncio.all_tasks() if task.get_name().startswith("memory watchdog of MCP server")]


async def test_a_server_whose_processes_hold_more_than_the_total_is_stopped(tmp_path: Path) -> None:
    registry = sdk_registry(tmp_path, "hog", "memory_hog_server.py", NEVER_S, sandbox_memory_total_mb=TOTAL_MB)
    try:
        # Three children of 60 MiB: each far within its address space limit (1 GiB), together past 128 MiB.
        with pytest.raises(ToolError) as stopped:
            await call_tool(registry, "hog.hold", NEVER_S, children=3, mib=60)
        error = stopped.value
        assert error.code == "sandbox_memory_total" and not error.retryable, (error.code, str(error))
        assert str(error).startswith("MCP server 'hog': the program's processes held "), str(error)
        assert "over the sandbox's 128 MiB (ORCHESTRA_SANDBOX_MEMORY_TOTAL_MB): stopped" in str(error)
        # The worker goes on: the next call starts the server again, and its own watchdog with it.
        assert (await call_tool(registry, "hog.hello", NEVER_S)).text == "hello"
        assert len(_watchdogs()) == 1, _watchdogs()
    finally:
        await registry.aclose()
    assert not _watchdogs(), "a watchdog outlived its server"
