"""An MCP server's ``memory_mb`` (each process's address space) above ORCHESTRA_SANDBOX_MEMORY_TOTAL_MB (what all of
its processes may hold together) was taken without a word, and the server was then stopped by the worker's watchdog
well within what its entry seemed to allow (attack361). Loading the registry now warns, naming the server, both
values and the setting; it is not refused (an address-space limit past the total is what a Node server may need).
A real stdio server (mcp-server-time from PyPI) in the real sandbox."""

from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import structlog

from orchestra.settings import Settings
from tests.mcp.support import TIME, mcp_registry, tool_file


def _warnings(tmp_path: Path, memory_mb: int) -> list[MutableMapping[str, Any]]:
    workspace = tmp_path / f"workspace-{memory_mb}"
    workspace.mkdir()
    settings = Settings(workspace=workspace, data_dir=tmp_path / "data", sandbox_memory_total_mb=256)
    with structlog.testing.capture_logs() as logs:
        registry = mcp_registry(settings, tool_file(tmp_path, {**TIME, "memory_mb": memory_mb}), refresh=False)
    assert "time.get_current_time" in registry, registry.server_problems
    return [line for line in logs if line.get("log_level") == "warning" and line.get("server") == "time"]


def test_memory_mb_above_the_total_is_warned_of_at_load(tmp_path: Path) -> None:
    (said,) = _warnings(tmp_path, 1024)
    assert said["warning"] == (
        "MCP server 'time': memory_mb 1024 is above the sandbox's total of 256 MiB (ORCHESTRA_SANDBOX_MEMORY_TOTAL_MB),"
        " which all its processes together may hold: past it the worker stops the server, whatever memory_mb allows;"
        " raise the total or lower memory_mb"
    ), said


def test_memory_mb_within_the_total_is_not(tmp_path: Path) -> None:
    assert _warnings(tmp_path, 256) == []
