"""A server's own requests to the client (ping, roots, sampling, elicitation) stop at the transport
(``transports.Notices``), as its notifications do: a ping is answered, the rest refused (this client
declares none of them), and none goes through the SDK's session, which cost 1 ms of the event loop each
and waited to write each answer: a server asking 20,000 times before reading its answers was never read
again, and its call waited out its timeout."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from tests.helpers import host_rule
from tests.mcp.support import asking_over_http, mcp_registry, reaching_session, tool_file
from tests.mcp.test_hostile import CONTEXT, NEVER, hostile, settings

REFUSED = "-32601: this client takes no {!r} requests"


@pytest.fixture
def reached(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The server's requests that went through the SDK's session."""
    return reaching_session(monkeypatch, "_received_request")


async def test_a_real_servers_requests_are_answered_by_the_transport_over_http(tmp_path, reached):
    with asking_over_http() as url:
        config = settings(tmp_path)
        config.allowed_hosts = [host_rule(url)]
        path = tool_file(tmp_path, {"kind": "mcp", "name": "a", "url": url, "timeout_s": 60})
        registry = await asyncio.to_thread(mcp_registry, config, path)
        try:
            tool = registry.get("a.ask")
            output = await asyncio.wait_for(tool.run(tool.spec.input_model.model_validate({}), CONTEXT), NEVER)
        finally:
            await registry.aclose()
    assert json.loads(output.text) == {
        "ping": "ok",
        "roots": REFUSED.format("roots/list"),
        "sampling": REFUSED.format("sampling/createMessage"),
        "elicitation": REFUSED.format("elicitation/create"),
    }
    assert reached == []


async def test_a_storm_of_requests_from_a_server_that_reads_no_answer_holds_no_call(tmp_path, reached):
    path = tool_file(tmp_path, hostile("request-storm", 20_000, timeout_s=60))
    registry = await asyncio.to_thread(mcp_registry, settings(tmp_path), path)
    try:
        tool = registry.get("h.plain")
        first = await asyncio.wait_for(tool.run(tool.spec.input_model.model_validate({}), CONTEXT), NEVER)
        assert json.loads(first.text) == {"results": 0, "refusals": 0}  # it had read nothing yet
        # Its answers waiting to be written were written once it read again; the rest were never made.
        again = json.loads((await tool.run(tool.spec.input_model.model_validate({}), CONTEXT)).text)
        assert 0 < again["results"] + again["refusals"] < 20_000, again
        assert again["results"] > 0 and again["refusals"] > 0
    finally:
        await registry.aclose()
    assert reached == []
