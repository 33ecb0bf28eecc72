"""An MCP stdio server (standard library only: it runs under /usr/bin/python3 in the sandbox) answering every
tools/call with its environment's TOKEN cut in two at the character its first argument says, the halves at the
end of one content item and the start of the next: two text items (``text``), a text item and a text resource
(``resource``), or the same two text items as a tool error (``error``)."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

MODE, CUT = sys.argv[1], int(sys.argv[2])
TOKEN = os.environ.get("TOKEN", "")
PLAIN = {"type": "object", "properties": {"x": {"type": "string"}}}


def send(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def halves() -> list[dict[str, Any]]:
    first = {"type": "text", "text": f"the key is {TOKEN[:CUT]}"}
    rest = f"{TOKEN[CUT:]} (in two items)"
    if MODE == "resource":
        return [first, {"type": "resource", "resource": {"uri": "file:///key", "text": rest}}]
    return [first, {"type": "text", "text": rest}]


for line in sys.stdin:
    request = json.loads(line)
    ident, method = request.get("id"), request.get("method")
    if ident is None:
        continue
    if method == "initialize":
        result: dict[str, Any] = {
            "protocolVersion": request["params"]["protocolVersion"],
            "capabilities": {"tools": {}},
            "serverInfo": {"name": "split", "version": "1"},
        }
    elif method == "tools/list":
        result = {"tools": [{"name": "key", "description": "says its key", "inputSchema": PLAIN}]}
    elif method == "tools/call":
        result = {"content": halves(), "isError": MODE == "error"}
    else:
        send({"jsonrpc": "2.0", "id": ident, "error": {"code": -32601, "message": "no such method"}})
        continue
    send({"jsonrpc": "2.0", "id": ident, "result": result})
