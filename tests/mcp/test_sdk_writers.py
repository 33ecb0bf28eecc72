"""What the MCP SDK's streamable-HTTP transport calls on a writer we hand it in place of a memory stream
(``http_transport._Writer``) is what ours have: every method it calls on one, read from its source, so that
an upgrade of the SDK calling one more fails here, not on every session's end (its writer of requests called
``aclose`` on ``Notices``, which had only ``send``: each HTTP session ended in an AttributeError)."""

from __future__ import annotations

import ast
import inspect

import mcp.client.streamable_http as sdk

from orchestra.mcp import http_transport
from orchestra.mcp.transports import Notices

# The names under which the SDK's transport holds what it reads into (``RequestContext.read_stream_writer``).
WRITER_NAMES = {"read_stream_writer"}
OURS = [Notices, http_transport._Answer, http_transport._Unsolicited]


def _is_writer(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id in WRITER_NAMES) or (
        isinstance(node, ast.Attribute) and node.attr in WRITER_NAMES
    )


def sdk_calls() -> set[str]:
    """Every attribute the SDK's module takes of a writer of what it reads, and the protocol methods an
    ``async with`` or ``async for`` of one would call."""
    used: set[str] = set()
    for node in ast.walk(ast.parse(inspect.getsource(sdk))):
        if isinstance(node, ast.Attribute) and _is_writer(node.value):
            used.add(node.attr)
        elif isinstance(node, ast.AsyncWith):
            if any(_is_writer(item.context_expr) for item in node.items):
                used |= {"__aenter__", "__aexit__"}
        elif isinstance(node, ast.With) and any(_is_writer(item.context_expr) for item in node.items):
            used |= {"__enter__", "__exit__"}
    return used


def test_the_sdk_calls_on_a_writer_only_what_our_writers_protocol_names():
    protocol = {name for name in vars(http_transport._Writer) if not name.startswith("_")}
    called = sdk_calls()
    assert {"send", "aclose"} <= called, f"the scan of the SDK finds its calls: {called}"
    assert called <= protocol, f"the SDK calls {called - protocol} on a writer: add them to _Writer and ours"


def test_each_writer_we_hand_the_sdk_has_every_method_it_calls():
    for writer in OURS:
        missing = [name for name in sdk_calls() if not inspect.iscoroutinefunction(getattr(writer, name, None))]
        assert not missing, f"{writer.__name__} lacks {missing}"
