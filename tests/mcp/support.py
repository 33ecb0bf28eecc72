"""Real MCP servers for the tests, installed by ./scripts/setup-test under examples/mcp (PyPI reference
servers in a virtualenv of their own, npm servers in node_modules), and tool files naming them."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from orchestra.registry import ToolRegistry, default_registry
from orchestra.settings import PROJECT_ROOT, Settings
from tests.cli.cli import free_port

SERVERS = PROJECT_ROOT / "examples" / "mcp"
VENV = SERVERS / "venv"
NODE_MODULES = SERVERS / "node_modules"
MISSING = "the MCP test servers are not installed: run ./scripts/setup-test"

TIME: dict[str, Any] = {
    "kind": "mcp", "name": "time", "command": [str(VENV / "bin" / "mcp-server-time"), "--local-timezone", "UTC"],
    "read_only": [str(VENV)],
}  # fmt: skip
FILES: dict[str, Any] = {
    "kind": "mcp", "name": "files", "command": [str(NODE_MODULES / ".bin" / "mcp-server-filesystem"), "."],
    "read_only": [str(NODE_MODULES)], "memory_mb": 2048,
}  # fmt: skip


def tool_file(directory: Path, *entries: dict[str, Any], name: str = "mcp.yaml") -> Path:
    assert (VENV / "bin" / "mcp-server-time").exists() and (NODE_MODULES / ".bin").is_dir(), MISSING
    path = directory / name
    path.write_text(yaml.safe_dump({"version": 1, "tools": list(entries)}))
    return path


def mcp_registry(settings: Settings, *files: Path, refresh: bool = True) -> ToolRegistry:
    return default_registry(files, settings=settings, refresh_mcp=refresh)


@contextlib.contextmanager
def everything_over_http() -> Iterator[str]:
    """The reference server `server-everything` in its streamable-HTTP mode on a loopback port: a remote
    service as far as the worker is concerned (not in the sandbox: the worker reaches it by URL)."""
    assert (NODE_MODULES / ".bin" / "mcp-server-everything").exists(), MISSING
    port = free_port()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PORT": str(port), "HOME": str(SERVERS)}
    with listening([str(NODE_MODULES / ".bin" / "mcp-server-everything"), "streamableHttp"], port, env):
        yield f"http://127.0.0.1:{port}/mcp"


@contextlib.contextmanager
def asking_over_http() -> Iterator[str]:
    """tests/mcp/asking_server.py (the MCP SDK's FastMCP) on a loopback port, its MCP endpoint's URL."""
    port = free_port()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(SERVERS)}
    with listening([sys.executable, str(Path(__file__).parent / "asking_server.py"), str(port)], port, env):
        yield f"http://127.0.0.1:{port}/mcp"


@contextlib.contextmanager
def listening(argv: list[str], port: int, env: dict[str, str]) -> Iterator[None]:
    """The server ``argv`` started, until it listens on ``port`` (60 s at most); killed after."""
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            assert process.poll() is None, (
                f"{argv[0]} exited: {process.stderr.read().decode() if process.stderr else ''}"
            )
            assert time.monotonic() < deadline, f"{argv[0]} did not listen within 60 s"
            time.sleep(0.05)
        yield
    finally:
        process.kill()
        process.wait()
        if process.stderr is not None:
            process.stderr.close()


def reaching_session(monkeypatch: Any, method: str) -> list[Any]:
    """What the SDK's session is handed through ``method`` (``_received_request``, ``_received_notification``)
    from now on: what the transport let through to it."""
    from orchestra.mcp import connection

    seen: list[Any] = []
    received = getattr(connection._Session, method)

    async def counted(self: connection._Session, message: Any) -> None:
        seen.append(message)
        await received(self, message)

    monkeypatch.setattr(connection._Session, method, counted)
    return seen
