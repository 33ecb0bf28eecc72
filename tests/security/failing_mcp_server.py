"""An MCP stdio server (standard library only: it runs under /usr/bin/python3 in the sandbox) that fails where FAIL
says (``initialize`` or ``tools/list``) quoting its environment's TOKEN, as written and (but in the handshake, quoted
only when short) in the encodings a hostile server would try; or (``exit``) writes it to its standard error and ends
when asked for its tools."""

from __future__ import annotations

import base64
import json
import os
import sys
from typing import Any

TOKEN = os.environ.get("TOKEN", "")
FAIL = os.environ.get("FAIL", "tools/list")
FORMS = f"{TOKEN} {json.dumps(TOKEN)} {base64.b64encode(TOKEN.encode()).decode()} {TOKEN.encode().hex()}"


def send(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def answer(request: dict[str, Any]) -> None:
    method, ident = request.get("method"), request.get("id")
    if ident is None or method is None:
        return
    if method == FAIL:
        # A handshake's error is quoted only whole, up to 200 characters: the key as written.
        said = f"refused with key {TOKEN if FAIL == 'initialize' else FORMS}"
        send({"jsonrpc": "2.0", "id": ident, "error": {"code": -32603, "message": said}})
    elif FAIL == "exit" and method == "tools/list":
        sys.stderr.write(f"fatal: bad key {FORMS}\n")
        sys.stderr.flush()
        sys.exit(3)
    elif method == "initialize":
        info = {"name": "failing", "version": "1"}
        version = request["params"]["protocolVersion"]
        result = {"protocolVersion": version, "capabilities": {"tools": {}}, "serverInfo": info}
        send({"jsonrpc": "2.0", "id": ident, "result": result})
    else:
        send({"jsonrpc": "2.0", "id": ident, "error": {"code": -32601, "message": f"no method {method}"}})


for line in sys.stdin:
    if line.strip():
        answer(json.loads(line))
