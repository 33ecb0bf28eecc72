"""Real MCP servers for the tests, installed by ./scripts/setup-test under examples/mcp (PyPI reference
servers in a virtualenv of their own, npm servers in node_modules), and tool files naming them."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import pytest
import yaml

from orchestra.registry import ToolRegistry, default_registry
from orchestra.sandbox import detect
from orchestra.settings import PROJECT_ROOT, Settings
from orchestra.tool_spec import ToolContext
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


def sdk_registry(tmp_path: Path, name: str, script: str, timeout_s: float, **settings: Any) -> ToolRegistry:
    """A registry of one test server of this folder (``script``) written on the MCP SDK of examples/mcp's virtualenv
    (built on /usr/bin/python3), given by PYTHONPATH: the sandbox starts the program its command's links resolve to,
    and a virtualenv's python is a link to /usr/bin's. The folder is on its path too, for its siblings."""
    needs_bwrap()
    here = Path(__file__).resolve().parent
    (packages,) = VENV.resolve().glob("lib/python3*/site-packages")
    entry = {
        "kind": "mcp", "name": name, "command": ["/usr/bin/python3", str(here / script)],
        "env": {"PYTHONPATH": f"{packages}:{here}"}, "read_only": [str(packages), str(here)], "timeout_s": timeout_s,
    }  # fmt: skip
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    settings = {"workspace": workspace, "data_dir": tmp_path / "data", **settings}
    registry = mcp_registry(Settings(**settings), tool_file(tmp_path, entry))
    assert not registry.server_problems.get(name), registry.server_problems
    return registry


async def call_tool(registry: ToolRegistry, name: str, timeout_s: float, **arguments: Any) -> Any:
    tool = registry.get(name)
    context = cast(ToolContext, None)
    return await asyncio.wait_for(tool.run(tool.spec.input_model.model_validate(arguments), context), timeout_s)


def needs_bwrap() -> None:
    sandbox = detect("auto")
    if sandbox.mode != "bwrap":
        pytest.skip(f"no sandbox here: {sandbox.reason}")


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

    def started(port: int) -> tuple[list[str], dict[str, str]]:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PORT": str(port), "HOME": str(SERVERS)}
        return [str(NODE_MODULES / ".bin" / "mcp-server-everything"), "streamableHttp"], env

    with listening(started) as port:
        yield f"http://127.0.0.1:{port}/mcp"


@contextlib.contextmanager
def asking_over_http() -> Iterator[str]:
    """tests/mcp/asking_server.py (the MCP SDK's FastMCP) on a loopback port, its MCP endpoint's URL."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(SERVERS)}
    server = str(Path(__file__).parent / "asking_server.py")
    with listening(lambda port: ([sys.executable, server, str(port)], env)) as port:
        yield f"http://127.0.0.1:{port}/mcp"


Started = Callable[[int], tuple[list[str], dict[str, str]]]


@contextlib.contextmanager
def listening(started: Started) -> Iterator[int]:
    """The server ``started(port)`` gives the command and environment of, on a free loopback port, until it
    listens there itself (60 s at most); killed after. The port is free when chosen, but another xdist worker's
    server may take it before this one binds: a connection alone then reached that server (an MCP test listed
    another's tools, CI), so the listener must be one of this server's sockets, and a server that lost its port
    is started again on another."""
    for _ in range(5):
        port = free_port()
        argv, env = started(port)
        process = subprocess.Popen(
            argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )
        try:
            if _listens(process, port, argv[0]):
                yield port
                return
        finally:
            process.kill()
            process.wait()
            if process.stderr is not None:
                process.stderr.close()
    raise AssertionError(f"{argv[0]} lost its port to another process five times")


def _listens(process: subprocess.Popen[bytes], port: int, name: str) -> bool:
    """Whether ``process`` came to listen on ``port`` (False: it exited while another process listens there)."""
    deadline = time.monotonic() + 60
    while True:
        listeners = _listening_sockets(port)
        if listeners & _sockets_of_session(process.pid):
            return True
        if process.poll() is not None:
            assert listeners, f"{name} exited: {process.stderr.read().decode() if process.stderr else ''}"
            return False
        assert time.monotonic() < deadline, f"{name} did not listen within 60 s"
        time.sleep(0.05)


def _listening_sockets(port: int) -> set[str]:
    """The inodes of the sockets listening on loopback ``port`` (/proc/net/tcp: state 0A is LISTEN)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as lines:
            for line in list(lines)[1:]:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":
                    inodes.add(fields[9])
    return inodes


def _sockets_of_session(session: int) -> set[str]:
    """The socket inodes the processes of ``session`` hold (a server started in its own session, children too)."""
    inodes = set()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int((proc / "stat").read_text().rsplit(")", 1)[1].split()[3]) != session:
                continue
            for fd in (proc / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
    return inodes


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
