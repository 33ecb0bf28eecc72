"""Run `client.py` as a real subprocess, pointed at the session's dev server and a fresh task queue."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from orchestra.settings import PROJECT_ROOT

CLIENT = PROJECT_ROOT / "client.py"
TIMEOUT_S = 180


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)


def clean_env(**values: str) -> dict[str, str]:
    """The test's own settings only: nothing from the developer's TEMPORAL_*/ORCHESTRA_* variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEMPORAL_", "ORCHESTRA_"))}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(values)
    return env


async def run_client(*args: str, env: dict[str, str]) -> Result:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(CLIENT),
        *args,
        cwd=PROJECT_ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), TIMEOUT_S)
    assert process.returncode is not None
    return Result(process.returncode, out.decode(), err.decode())


def write_plan(directory: Path, plan: dict[str, Any], name: str = "plan.yaml") -> str:
    path = directory / name
    path.write_text(yaml.safe_dump(plan))
    return str(path)


@contextmanager
def closed_port() -> Iterator[int]:
    """A port nothing listens on, for the whole block: bound here but never listening, so a connection
    to it is refused and no other process can take it meanwhile."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])


@contextmanager
def held_ports(count: int) -> Iterator[list[int]]:
    """``count`` distinct free ports, held (bound, not listening) until the block ends: release them
    right before the process that binds them starts, to leave the least room for a taker."""
    with ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        ports = [int(sock.getsockname()[1]) for sock in sockets]
        assert len(set(ports)) == count, ports  # bound at once, so distinct
        yield ports
