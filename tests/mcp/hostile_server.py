"""A hostile MCP stdio server for the tests (standard library only: it runs under /usr/bin/python3 in
the sandbox). It answers the handshake properly, then misbehaves as its first argument says:

- ``mute-list``: never answers tools/list;
- ``long-line``: answers tools/list with SIZE bytes and no newline;
- ``many``: lists SIZE tools;
- ``ref-loop``: one tool whose input schema refers to itself;
- ``twins``: two tools of the same name;
- ``patterns``: ``redos`` (an expression Python's ``re`` needs exponential time for) and ``backref``;
- ``telltale``: its environment's TOKEN in a tool's description, and in every error it answers;
- ``call-not-jsonrpc``, ``call-broken``, ``call-other-id``: answers tools/call with JSON that is no
  JSON-RPC answer, with a message cut in the middle, with an answer to another id;
- ``call-32000``: answers tools/call with an error of its own with code -32000;
- ``init-refused``: answers initialize with an error of SIZE characters and more;
- ``call-rejects``: refuses tools/call's arguments (-32602) in SIZE characters and more, echoing ``x`` at the
  190th; ``call-error-result``: answers a tool error of SIZE characters and more, echoing ``x`` at the 1,990th;
- ``mute-call``: never answers its first tools/call; answers the next with the ids of the requests the
  client said it gave up on (notifications/cancelled);
- ``cancel-pair``: answers no tools/call until the client cancels one; then answers every other call
  with the id it was cancelled under and the call's own id; a call with ``x: probe`` is answered once
  two others wait, one with ``x: warm`` at once;
- ``deaf``: at its first tools/call, stops reading its stdin for good (and answers nothing more);
- ``call-deep``: answers its first tools/call with a result nested 100,000 levels deep, the next properly;
- ``orphan``: at tools/call starts a process of a session of its own that keeps its stdout open (its pid
  in ``orphan.pid``, in its working directory), then answers;
- ``mute-relist``: never answers the first tools/list that comes after a tools/call (the SDK lists the
  tools again inside a call, to check a result against the tool's output schema); answers the first
  call, then the next with the ids of the request left unanswered and those cancelled;
- ``banner``: prints lines that are no messages (a banner, JSON logs) before answering tools/call properly;
- ``output-redos``: a tool whose output schema holds ``^(a|a)*$``, answering with structured content of
  SIZE a's and a ``!`` (Python's re takes 2**SIZE steps to find it does not match); ``output-loop``: one
  whose output schema refers to itself without end; ``output-unevaluated``: one whose output schema has
  ``^(a|a)*$`` under patternProperties with unevaluatedProperties (which jsonschema reads with re), its
  answer a key of SIZE a's and a ``!``;
- ``output-ok``: a tool whose output schema holds a pattern, answering within it; ``output-echo``: one whose
  output schema takes an integer ``n``, answering with ``n`` a text of SIZE p's, its environment's TOKEN and
  the call's argument ``x`` (a server echoing what it holds and what it was given);
- ``costly``: tools whose schemas make a check cost more than the value checked: ``fanout`` (anyOf over
  ``$ref`` five deep, 30 ways each: 24 million leaves for one string), ``unique`` (``uniqueItems``,
  which jsonschema checks by comparing every pair of objects), ``enum`` (6,000 values, each compared
  with each item), ``dialect`` (``^(a|a)*$`` under a ``$schema`` of its own); ``output-fanout``: one
  whose output schema is ``fanout``'s, answering with a string;
- ``output-union``: not hostile: a tool whose output schema is a list of events, each one of SIZE kinds
  (anyOf over ``$ref``, as servers generated from OpenAPI list them), answering with 200 events of the
  last kind;
- ``enums``: not hostile: tools whose argument is an enum with no type, ``mixed`` (texts, numbers, a
  boolean, null) and ``many`` (6,000 texts, as much as a listing holds);
- ``letters``: not hostile: a tool whose argument is Unicode letters, ``^\\p{L}+$`` (ECMA-262's and RE2's
  syntax, not Python's);
- ``text-deep``: answers tools/call with a text of SIZE ``[`` then as many ``]`` (JSON nested that deep);
- ``output-big``: a tool whose output schema is close to MAX_TOOL_BYTES (SIZE properties with patterns);
- ``call-structured``: answers tools/call with structured content of SIZE small objects (its text "done");
  ``call-items``: with SIZE content items of a type no client knows; ``call-links``: with SIZE resource
  links, each named by 1,000 characters;
- ``notice-storm``: says its tools changed before every tools/list answer, and before a tools/call answer
  SIZE times, with SIZE log messages; the call's text is how many tools/list it was asked;
- ``request-storm``: before a tools/call answer, asks the client SIZE times (ping, roots/list,
  sampling/createMessage, elicitation/create in turn) without reading its answers; the call's text counts
  the answers it read by then (results and refusals);
- ``line-flood``: before a tools/call answer, SIZE short notifications (a line of 31 bytes each) in one write;
- ``progress``: before each answer, draws a progress bar of SIZE bytes on stderr, updated by carriage
  returns and never ended by a newline (as a download on a first call does), then answers properly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

MODE = sys.argv[1]
SIZE = int(sys.argv[2]) if len(sys.argv) > 2 else 0
TOKEN = os.environ.get("TOKEN", "")
PLAIN = {"type": "object", "properties": {"x": {"type": "string"}}}
FANOUT = {"type": "object", "properties": {"x": {"$ref": "#/$defs/a"}}, "$defs": {
    **{level: {"anyOf": [{"$ref": f"#/$defs/{below}"}] * 30} for level, below in zip("abcd", "bcde", strict=True)},
    "e": {"anyOf": [{"type": "integer"}] * 30}}}  # fmt: skip


def union(kinds: int) -> dict[str, Any]:
    kind_schemas = {f"e{kind}": {"type": "object", "required": ["kind"], "properties": {
        "kind": {"const": f"k{kind}"}, **{f"f{field}": {"anyOf": [{"type": "string"}, {"type": "null"}]}
                                          for field in range(6)}}} for kind in range(kinds)}  # fmt: skip
    events = {"type": "array", "items": {"anyOf": [{"$ref": f"#/$defs/e{kind}"} for kind in range(kinds)]}}
    return {"type": "object", "properties": {"events": events}, "$defs": kind_schemas}


calls: list[Any] = []
cancelled: list[Any] = []
probes: list[Any] = []
unanswered: list[Any] = []
listed: list[Any] = []
answered: list[Any] = []
SAMPLING = {"messages": [{"role": "user", "content": {"type": "text", "text": "hi"}}], "maxTokens": 10}
ASK = {"message": "who?", "requestedSchema": {"type": "object", "properties": {"n": {"type": "string"}}}}


def send(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def tool(name: str, schema: dict[str, Any] = PLAIN, description: str = "a tool") -> dict[str, Any]:
    return {"name": name, "description": description, "inputSchema": schema}


def tools() -> list[dict[str, Any]]:
    if MODE == "many":
        return [tool(f"t{i}") for i in range(SIZE)]
    if MODE == "ref-loop":
        return [tool("loop", {"type": "object", "properties": {"x": {"$ref": "#"}}, "$ref": "#"})]
    if MODE == "patterns":
        redos = {"type": "object", "properties": {"x": {"type": "string", "pattern": "^(a|a)*$"}}}
        backref = {"type": "object", "properties": {"x": {"type": "string", "pattern": "^(a)\\1$"}}}
        return [tool("redos", redos), tool("backref", backref)]
    if MODE == "output-redos":
        redos = {"type": "object", "properties": {"x": {"type": "string", "pattern": "^(a|a)*$"}}}
        return [{**tool("plain"), "outputSchema": redos}]
    if MODE == "costly":
        unique = {"type": "object", "properties": {"x": {"type": "array", "uniqueItems": True}}}
        enum = {
            "type": "object",
            "properties": {"x": {"type": "array", "items": {"enum": [f"v{i}" for i in range(6000)]}}},
        }
        dialect = {"type": "object", "properties": {"x": {
            "$schema": "http://json-schema.org/draft-07/schema#", "type": "string", "pattern": "^(a|a)*$"}}}  # fmt: skip
        return [tool("fanout", FANOUT), tool("unique", unique), tool("enum", enum), tool("dialect", dialect)]
    if MODE == "output-fanout":
        return [{**tool("plain"), "outputSchema": FANOUT}]
    if MODE == "enums":
        mixed = {"type": "object", "properties": {"x": {"enum": ["overwrite", "append", 1, 2.5, True, None]}}}
        many = {"type": "object", "properties": {"x": {"enum": [f"v{i}" for i in range(6000)]}}}
        return [tool("mixed", mixed), tool("many", many)]
    if MODE == "letters":
        return [tool("plain", {"type": "object", "properties": {"x": {"type": "string", "pattern": "^\\p{L}+$"}}})]
    if MODE == "output-union":
        return [{**tool("plain"), "outputSchema": union(SIZE)}]
    if MODE == "output-big":
        properties = {f"p{i}": {"type": "string", "pattern": f"^a{i}b+$"} for i in range(SIZE)}
        return [{**tool("plain"), "outputSchema": {"type": "object", "properties": properties}}]
    if MODE == "output-echo":
        return [{**tool("plain"), "outputSchema": {"type": "object", "properties": {"n": {"type": "integer"}}}}]
    if MODE == "output-ok":
        checked = {"type": "object", "properties": {"x": {"type": "string", "pattern": "^a+$"}}, "required": ["x"]}
        return [{**tool("plain"), "outputSchema": checked}]
    if MODE == "output-unevaluated":
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                  "patternProperties": {"^(a|a)*$": {}}, "unevaluatedProperties": False}  # fmt: skip
        return [{**tool("plain"), "outputSchema": schema}]
    if MODE == "output-loop":
        return [{**tool("plain"), "outputSchema": {"type": "object", "properties": {"x": {"$ref": "#"}}, "$ref": "#"}}]
    if MODE == "twins":
        return [tool("twin", description="the first"), tool("twin", description="the second")]
    if MODE == "telltale":
        return [tool("tell", description=f"uses the key {TOKEN}")]
    return [tool("plain")]


def answer(request: dict[str, Any]) -> None:
    method, ident = request.get("method"), request.get("id")
    if MODE == "progress" and ident is not None:
        for drawn in range(0, SIZE, 64):
            sys.stderr.write(f"\rdownloading {drawn:>12}/{SIZE} bytes ".ljust(64, "#")[:64])
        sys.stderr.flush()
    if method == "notifications/cancelled":
        cancelled.append(request["params"]["requestId"])
        if MODE == "cancel-pair":
            for other in [c for c in calls if c not in cancelled]:
                text = json.dumps({"cancelled": cancelled[-1], "mine": other})
                send({"jsonrpc": "2.0", "id": other, "result": {"content": [{"type": "text", "text": text}]}})
                calls.remove(other)
    if ident is None:
        return
    if method is None:  # the client's answer to a request of this server's own
        answered.append("result" if "result" in request else request["error"]["code"])
        return
    if method == "initialize" and MODE == "init-refused":
        send({"jsonrpc": "2.0", "id": ident, "error": {"code": -32603, "message": "no " + "n" * SIZE}})
    elif method == "initialize":
        version = request["params"]["protocolVersion"]
        send({"jsonrpc": "2.0", "id": ident, "result": {
            "protocolVersion": version, "capabilities": {"tools": {}}, "serverInfo": {"name": MODE, "version": "1"}}})  # fmt: skip
    elif method == "tools/list":
        listed.append(ident)
        if MODE == "notice-storm":
            send({"jsonrpc": "2.0", "method": "notifications/tools/list_changed"})
        if MODE == "mute-list" or (MODE == "mute-relist" and calls and not unanswered):
            unanswered.append(ident)
            return
        if MODE == "long-line":
            sys.stdout.write("x" * SIZE)
            sys.stdout.flush()
            return
        send({"jsonrpc": "2.0", "id": ident, "result": {"tools": tools()}})
    elif method == "tools/call":
        done = {"content": [{"type": "text", "text": "done"}]}
        calls.append(ident)
        if MODE == "call-deep" and len(calls) == 1:
            sys.stdout.write(f'{{"jsonrpc": "2.0", "id": {ident}, "result": {"[" * 100_000}{"]" * 100_000}}}\n')
            sys.stdout.flush()
            return
        if MODE == "mute-relist":
            text = json.dumps({"unanswered": unanswered, "cancelled": cancelled}) if len(calls) > 1 else "done"
            send({"jsonrpc": "2.0", "id": ident, "result": {"content": [{"type": "text", "text": text}]}})
            return
        if MODE == "orphan":
            child = subprocess.Popen(["/bin/sleep", "3600"], start_new_session=True)
            with open("orphan.pid", "w") as pid_file:
                pid_file.write(str(child.pid))
        if MODE == "deaf":
            time.sleep(3600)
        if MODE == "cancel-pair":
            x = request["params"].get("arguments", {}).get("x")
            if x in ("probe", "warm"):
                calls.remove(ident)
                probes.append(ident)
            if x == "warm":
                send({"jsonrpc": "2.0", "id": probes.pop(), "result": {"content": [{"type": "text", "text": "warm"}]}})
            if len(calls) == 2:
                for probe in probes:
                    send(
                        {"jsonrpc": "2.0", "id": probe, "result": {"content": [{"type": "text", "text": "both wait"}]}}
                    )
        elif MODE == "mute-call":
            if len(calls) > 1:
                send({"jsonrpc": "2.0", "id": ident, "result": {"content": [{"type": "text", "text": json.dumps(
                    {"unanswered": calls[0], "cancelled": cancelled})}]}})  # fmt: skip
        elif MODE == "output-ok":
            send({"jsonrpc": "2.0", "id": ident, "result": {**done, "structuredContent": {"x": "a" * SIZE}}})
        elif MODE == "output-echo":
            echoed = f"{'p' * SIZE}{TOKEN} {request['params'].get('arguments', {}).get('x')}"
            send({"jsonrpc": "2.0", "id": ident, "result": {**done, "structuredContent": {"n": echoed}}})
        elif MODE == "output-union":
            events = [{"kind": f"k{SIZE - 1}", **{f"f{field}": "x" for field in range(6)}}] * 200
            send({"jsonrpc": "2.0", "id": ident, "result": {**done, "structuredContent": {"events": events}}})
        elif MODE == "text-deep":
            deep = "[" * SIZE + "]" * SIZE
            send({"jsonrpc": "2.0", "id": ident, "result": {"content": [{"type": "text", "text": deep}]}})
        elif MODE == "output-big":
            send({"jsonrpc": "2.0", "id": ident, "result": {**done, "structuredContent": {"p0": "a0b"}}})
        elif MODE in ("output-redos", "output-loop", "output-unevaluated", "output-fanout"):
            structured = {"a" * SIZE + "!": 1} if MODE == "output-unevaluated" else {"x": "a" * SIZE + "!"}
            send({"jsonrpc": "2.0", "id": ident, "result": {**done, "structuredContent": structured}})
        elif MODE == "call-structured":
            rows = [{"a": i, "b": "x"} for i in range(SIZE)]
            send({"jsonrpc": "2.0", "id": ident, "result": {**done, "structuredContent": {"items": rows}}})
        elif MODE == "notice-storm":
            changed = json.dumps({"jsonrpc": "2.0", "method": "notifications/tools/list_changed"})
            said = json.dumps(
                {"jsonrpc": "2.0", "method": "notifications/message", "params": {"level": "info", "data": "x"}}
            )
            sys.stdout.write(f"{changed}\n{said}\n" * SIZE)
            send({"jsonrpc": "2.0", "id": ident, "result": {"content": [{"type": "text", "text": str(len(listed))}]}})
        elif MODE == "line-flood":
            sys.stdout.write('{"jsonrpc":"2.0","method":"x"}\n' * SIZE)
            send({"jsonrpc": "2.0", "id": ident, "result": done})
        elif MODE == "request-storm":
            asked = [
                ("ping", {}),
                ("roots/list", {}),
                ("sampling/createMessage", SAMPLING),
                ("elicitation/create", ASK),
            ]
            for n in range(SIZE):
                method, params = asked[n % len(asked)]
                sys.stdout.write(
                    json.dumps({"jsonrpc": "2.0", "id": f"s{n}", "method": method, "params": params}) + "\n"
                )
            text = json.dumps({"results": answered.count("result"), "refusals": answered.count(-32601)})
            send({"jsonrpc": "2.0", "id": ident, "result": {"content": [{"type": "text", "text": text}]}})
        elif MODE == "call-items":
            send({"jsonrpc": "2.0", "id": ident, "result": {"content": [{"type": "x"}] * SIZE}})
        elif MODE == "call-links":
            link = {"type": "resource_link", "uri": "file:///x", "name": "n" * 1000}
            send({"jsonrpc": "2.0", "id": ident, "result": {"content": [link] * SIZE}})
        elif MODE == "call-not-jsonrpc":
            send({"jsonrpc": "2.0", "id": ident, "result": "done"})
        elif MODE == "call-broken":
            sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": ident, "result": done})[:30] + "\n")
            sys.stdout.flush()
        elif MODE == "call-other-id":
            send({"jsonrpc": "2.0", "id": ident + 1000, "result": done})
        elif MODE == "call-32000":
            send({"jsonrpc": "2.0", "id": ident, "error": {"code": -32000, "message": "the server's own error"}})
        elif MODE == "banner":
            sys.stdout.write("hostile server: ready and listening on stdio\n")
            sys.stdout.write('{"level": "error", "error": "a log line, in JSON"}\n{\n  "pretty": "printed"\n}\n')
            send({"jsonrpc": "2.0", "id": ident, "result": done})
        elif MODE == "call-rejects":
            said = (
                "argument x refused: " + "r" * 170 + str(request["params"].get("arguments", {}).get("x")) + "s" * SIZE
            )
            send({"jsonrpc": "2.0", "id": ident, "error": {"code": -32602, "message": said}})
        elif MODE == "call-error-result":
            text = "e" * 1990 + str(request["params"].get("arguments", {}).get("x")) + "f" * SIZE
            send(
                {
                    "jsonrpc": "2.0",
                    "id": ident,
                    "result": {"isError": True, "content": [{"type": "text", "text": text}]},
                }
            )
        elif MODE == "telltale":
            send({"jsonrpc": "2.0", "id": ident, "error": {"code": -32603, "message": f"refused key {TOKEN}"}})
        else:
            send({"jsonrpc": "2.0", "id": ident, "result": {"content": [{"type": "text", "text": "done"}]}})
    else:
        send({"jsonrpc": "2.0", "id": ident, "error": {"code": -32601, "message": f"no method {method}"}})


for line in sys.stdin:
    if line.strip():
        answer(json.loads(line))
