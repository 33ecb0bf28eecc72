"""A real MCP server (the reference ``server-everything`` over streamable HTTP) behind a proxy that answers a
``tools/call`` with ``101 Switching Protocols``, which the client never asked: the call fails at once, said as
such, and the proxy sees it sent once."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import cast

import pytest

from orchestra.errors import ToolError
from orchestra.settings import Settings
from orchestra.tool_spec import ToolContext
from tests.helpers import host_rule
from tests.mcp.answering_proxy import SWITCH, answering_proxy
from tests.mcp.support import everything_over_http, mcp_registry, tool_file

CONTEXT = cast(ToolContext, None)


async def test_an_unasked_101_from_a_proxy_fails_the_call_once(tmp_path: Path) -> None:
    with everything_over_http() as upstream, answering_proxy(upstream, SWITCH, hold=False) as (proxy, url):
        workspace = tmp_path / "workspace"
        workspace.mkdir()
        config = Settings(workspace=workspace, data_dir=tmp_path / "data", allowed_hosts=[host_rule(url)])
        path = tool_file(tmp_path, {"kind": "mcp", "name": "e", "url": url, "timeout_s": 60})
        registry = await asyncio.to_thread(mcp_registry, config, path)
        try:
            assert not registry.server_problems.get("e"), registry.server_problems
            tool = registry.get("e.echo")
            with pytest.raises(ToolError) as failed:
                await asyncio.wait_for(tool.run(tool.spec.input_model.model_validate({"message": "hi"}), CONTEXT), 90)
        finally:
            await registry.aclose()
    assert failed.value.code == "mcp_unreadable_answer" and "switched protocols (101)" in str(failed.value), (
        failed.value
    )
    assert proxy.calls == 1
