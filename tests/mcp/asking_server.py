"""A server on the MCP SDK (FastMCP, streamable HTTP on the port given as its first argument) whose tool
``ask`` asks its client things a server may ask, as a real server does through the SDK's session: a ping,
the client's roots, a sampling and an elicitation; it answers with what each request got back (``ok``, or
the client's error), each waited for at most WAIT_S."""

from __future__ import annotations

import json
import sys

import anyio
from mcp.server.fastmcp import Context, FastMCP
from mcp.shared.exceptions import McpError
from mcp.types import SamplingMessage, TextContent

WAIT_S = 20
server = FastMCP("asking", host="127.0.0.1", port=int(sys.argv[1]), log_level="WARNING")


@server.tool()
async def ask(ctx: Context) -> str:  # type: ignore[type-arg]
    session = ctx.session
    hello = [SamplingMessage(role="user", content=TextContent(type="text", text="hi"))]
    asked = {
        "ping": session.send_ping,
        "roots": session.list_roots,
        "sampling": lambda: session.create_message(hello, max_tokens=10),
        "elicitation": lambda: session.elicit("who?", {"type": "object", "properties": {"n": {"type": "string"}}}),
    }
    got: dict[str, str] = {}
    for name, request in asked.items():
        try:
            with anyio.fail_after(WAIT_S):
                await request()
            got[name] = "ok"
        except McpError as exc:
            got[name] = f"{exc.error.code}: {exc.error.message}"
        except TimeoutError:
            got[name] = "no answer"
    return json.dumps(got)


if __name__ == "__main__":
    server.run(transport="streamable-http")
