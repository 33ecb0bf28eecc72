"""``create_worker`` without a registry lists the MCP servers of its tool files in a thread, as worker.py's main()
does (tests/mcp/test_worker_registry_off_the_loop.py): it listed them on the caller's event loop, starting each server
and reading every tool's schema (McpHub.load), seconds in which the Temporal client's coroutines and whatever else the
embedding application ran there stood still. Real MCP server processes, the dev server."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from temporalio.client import Client

from orchestra.mcp.hub import McpHub
from orchestra.registry import ToolRegistry
from tests.compiled_where import on_an_event_loop
from tests.helpers import settings_for
from tests.mcp.support import tool_file
from tests.mcp.test_hostile import hostile
from worker import OrchestraWorker, create_worker

LISTED_WITHIN_S = 60  # a bound on a hang, not a figure measured


async def test_an_embedded_worker_lists_its_mcp_servers_off_the_event_loop(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded_on_a_loop: list[bool] = []
    listed = threading.Event()
    real = McpHub.load

    def spy(hub: McpHub, registry: ToolRegistry, *, refresh: bool = False) -> None:
        loaded_on_a_loop.append(on_an_event_loop())
        real(hub, registry, refresh=refresh)
        listed.set()

    closed: list[McpHub] = []
    real_close = McpHub.aclose

    async def closing(hub: McpHub) -> None:
        closed.append(hub)
        await real_close(hub)

    monkeypatch.setattr(McpHub, "load", spy)
    monkeypatch.setattr(McpHub, "aclose", closing)
    (tmp_path / "ws").mkdir()
    files = [str(tool_file(tmp_path, hostile("many", 40)))]
    settings = settings_for(task_queue, tmp_path / "ws").model_copy(update={"registry_files": files})
    worker = create_worker(client, settings)
    assert True not in loaded_on_a_loop, "listed by create_worker, on the caller's event loop"
    assert isinstance(worker, OrchestraWorker)
    async with worker:
        assert await asyncio.to_thread(listed.wait, LISTED_WITHIN_S)
        assert "h.t39" in worker.registry  # listed all the same, before the worker polls
    assert loaded_on_a_loop == [False]
    assert closed == [worker.registry.mcp], "the registry it made, it closes when it stops"


async def test_a_worker_cancelled_while_it_lists_its_mcp_servers_shuts_down(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """Cancelled before it polled (a server that never answers its tools/list): nothing started, and shutdown() (what
    ``async with`` ends with) waited for ever on a worker that would never run."""
    (tmp_path / "ws").mkdir()
    files = [str(tool_file(tmp_path, hostile("mute-list")))]
    settings = settings_for(task_queue, tmp_path / "ws").model_copy(update={"registry_files": files})
    worker = create_worker(client, settings)
    running = asyncio.create_task(worker.run())
    await asyncio.sleep(0.5)  # listing: the server is mute
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    await asyncio.wait_for(worker.shutdown(), LISTED_WITHIN_S)
