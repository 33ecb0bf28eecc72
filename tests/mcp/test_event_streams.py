"""An HTTP MCP server's event streams are read as bytes with bounds (orchestra/mcp/sse.py): what httpx_sse
read a line at a time in Python on the event loop (20 MB of comments: 21.7 s, the loop lagging 155 ms p50)
ends at its bound with words that say which, and a stream within them reads as before."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import pytest

from orchestra.mcp.sse import MAX_EVENT_LINES, MAX_ID_BYTES, MAX_NOISE_BYTES
from orchestra.registry import ToolRegistry
from orchestra.settings import Settings
from tests.helpers import host_rule
from tests.mcp.support import free_port, listening, mcp_registry, tool_file

SERVER = Path(__file__).resolve().parent / "streaming_server.py"
NEVER = 300  # far longer than any listing here takes: only a worker that waits for ever hits it


async def listed(tmp_path: Path, mode: str, size: int = 0) -> ToolRegistry:
    port = free_port()
    url = f"http://127.0.0.1:{port}/mcp"
    workspace = tmp_path / "workspace"
    workspace.mkdir(exist_ok=True)
    config = Settings(workspace=workspace, data_dir=tmp_path / "data", allowed_hosts=[host_rule(url)])
    path = tool_file(tmp_path, {"kind": "mcp", "name": "s", "url": url, "timeout_s": 20})
    env: dict[str, Any] = {"PATH": "/usr/bin:/bin"}
    with listening([sys.executable, str(SERVER), str(port), mode, str(size)], port, env):
        return await asyncio.wait_for(asyncio.to_thread(mcp_registry, config, path), NEVER)


async def test_a_stream_with_crlf_comments_and_data_over_lines_is_read(tmp_path):
    registry = await listed(tmp_path, "plain")
    assert "s.plain" in registry, registry.server_problems


async def test_comments_within_the_bound_are_passed_over(tmp_path):
    registry = await listed(tmp_path, "comments", MAX_NOISE_BYTES // 2)
    assert "s.plain" in registry, registry.server_problems


@pytest.mark.parametrize(
    ("mode", "size", "words"),
    [
        ("comments", 20 * 1024 * 1024, f"over {MAX_NOISE_BYTES} bytes of comments"),
        ("data-lines", MAX_EVENT_LINES * 2, f"over {MAX_EVENT_LINES} lines"),
        ("long-id", MAX_ID_BYTES * 100, f"an id of over {MAX_ID_BYTES} bytes"),
    ],
)
async def test_a_stream_past_a_bound_fails_its_request_with_the_bound_named(tmp_path, mode, size, words):
    registry = await listed(tmp_path, mode, size)
    assert "s.plain" not in registry
    assert words in " | ".join(registry.server_problems.get("s", []))
