"""An MCP stdio server on the MCP SDK (run by examples/mcp's virtualenv, in the sandbox) whose tool ``hold`` starts
CHILDREN processes that each fill MIB MiB and hold it, then waits for them (they sleep an hour): only something that
stops the server ends the call. ``hello`` answers at once. Children are started, not forked: the server has threads."""

from __future__ import annotations

import importlib
import subprocess
import sys
import time
from typing import Any

FILL = "import sys, time; b = bytearray(int(sys.argv[1]) << 20); b[::4096] = b'x' * len(b[::4096]); time.sleep(3600)"


def hold(children: int, mib: int) -> str:
    started = [subprocess.Popen([sys.executable, "-c", FILL, str(mib)]) for _ in range(children)]
    for child in started:
        child.wait()
    time.sleep(3600)
    return "held"


def hello() -> str:
    return "hello"


def the_sdks_server() -> Any:
    """The SDK's high-level server: MCPServer from mcp 2 (examples/mcp's virtualenv), FastMCP before."""
    try:
        return importlib.import_module("mcp.server.mcpserver").MCPServer("memory-hog")
    except ImportError:
        return importlib.import_module("mcp.server.fastmcp").FastMCP("memory-hog")


if __name__ == "__main__":
    server = the_sdks_server()
    server.add_tool(hold)
    server.add_tool(hello)
    server.run()
