"""The worker's registry is read in a thread: listing an MCP server starts it and reads every listed tool's
schema against its meta-schema (McpHub.load), seconds of blocking work that, on the worker's event loop, held
every coroutine of the process meanwhile."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.mcp.hub import McpHub
from orchestra.registry import ToolRegistry
from tests.compiled_where import on_an_event_loop
from tests.mcp.support import tool_file
from tests.mcp.test_hostile import hostile, settings
from worker import worker_registry


async def test_the_worker_lists_its_mcp_servers_off_its_event_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded_on_a_loop: list[bool] = []
    real = McpHub.load

    def spy(hub: McpHub, registry: ToolRegistry, *, refresh: bool = False) -> None:
        loaded_on_a_loop.append(on_an_event_loop())
        real(hub, registry, refresh=refresh)

    monkeypatch.setattr(McpHub, "load", spy)
    worker_settings = settings(tmp_path).model_copy(
        update={"registry_files": [str(tool_file(tmp_path, hostile("many", 40)))]}
    )
    registry = await worker_registry(worker_settings)
    try:
        assert loaded_on_a_loop == [False]
        assert "h.t39" in registry  # listed all the same
    finally:
        await registry.aclose()
