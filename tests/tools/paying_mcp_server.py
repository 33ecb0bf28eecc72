"""A server on the MCP SDK (FastMCP, streamable HTTP on the port given as its first argument) whose one tool
``pay``, not idempotent (no annotation says it is), writes a line to the file given as its second argument
for each call it receives, then takes SLOW_S to answer: longer than the step that calls it waits."""

from __future__ import annotations

import sys

import anyio
from mcp.server.fastmcp import FastMCP

SLOW_S = 8
server = FastMCP("bank", host="127.0.0.1", port=int(sys.argv[1]), log_level="WARNING")


@server.tool()
async def pay(amount: int) -> str:
    await anyio.to_thread.run_sync(record, f"pay {amount}\n")
    await anyio.sleep(SLOW_S)
    return "paid"


def record(line: str) -> None:
    with open(sys.argv[2], "a") as calls:
        calls.write(line)


if __name__ == "__main__":
    server.run(transport="streamable-http")
