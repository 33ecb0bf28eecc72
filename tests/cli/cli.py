"""Run `client.py` as a real subprocess, pointed at the session's dev server and a fresh task queue."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def closed_port() -> int:
    """A port nothing listens on (bound, then released)."""
    return free_port()
