"""Run `client.py` as a real subprocess, pointed at the session's dev server and a fresh task queue; or
run a command in the test's own process, for what a test only waits on."""

from __future__ import annotations

import asyncio
import io
import json
import os
import socket
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from temporalio.client import Client

from orchestra.cli import invoke
from orchestra.settings import PROJECT_ROOT
from tests.helpers import until as poll_until
from tests.reserved_ports import reserved_ports

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


# The CLI as a terminal starts it, with Ctrl-C's default disposition. A child inherits an ignored SIGINT,
# and the suite may run ignoring SIGINT and SIGQUIT: a non-interactive shell starts a command run in the
# background (`./scripts/test &`) so, and C's system() while its command runs. A CLI started then never saw
# the Ctrl-C (its /proc/PID/status: SigIgn 0x1001006) and the test timed out.
WITH_CTRL_C = (
    "-c",
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.executable, [sys.executable, *sys.argv[1:]])",
)


def clean_env(**values: str) -> dict[str, str]:
    """The test's own settings only: nothing from the developer's TEMPORAL_*/ORCHESTRA_*/OTEL_* variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEMPORAL_", "ORCHESTRA_", "OTEL_"))}
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


def use_env(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    """This process's environment as a child's would be with ``env`` (``clean_env``'s), for the test:
    what a command run here reads its settings from."""
    for name in [n for n in os.environ if n.startswith(("TEMPORAL_", "ORCHESTRA_"))]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)


async def run_here(*args: str, client: Client | None) -> Result:
    """The command run in this process on the test's client, as `client.py` runs it (the same parsing,
    code and output) but without a process's start-up: 1.5 to 3 s at load, paid on every poll. With no
    client, the command connects as `client.py` does, to what this process's environment names."""
    out, err = io.StringIO(), io.StringIO()
    code = await invoke(list(args), out=out, err=err, client=client)
    return Result(code, out.getvalue(), err.getvalue())


@dataclass
class Cli:
    """``await cli(*args)``: `client.py` in a process of its own; ``cli.here(*args)``: in this one."""

    env: dict[str, str]
    client: Client

    def __call__(self, *args: str) -> Awaitable[Result]:
        return run_client(*args, env=self.env)

    def here(self, *args: str) -> Awaitable[Result]:
        return run_here(*args, client=self.client)


async def until(cli: Cli, args: tuple[str, ...], ok: Callable[[Result], object], here: bool = False) -> Result:
    """Poll the command in this process until its output satisfies ``ok``, then run it once as
    `client.py` and return that: what the test asserts is what the user's command prints. ``ok`` must
    stay true once it is (the test holds the run where it wants it). With ``here``, the last poll's
    output is returned instead, for a command whose `client.py` run another test makes."""
    seen: list[Result] = []

    async def probe() -> Result:
        seen[:] = [await cli.here(*args)]
        return seen[0]

    try:
        await poll_until(probe, lambda result: bool(ok(result)))
    except TimeoutError:
        last = seen[0] if seen else Result(-1, "", "")
        raise AssertionError(f"{args} never matched; last output:\n{last.out}\n{last.err}") from None
    if here:
        return seen[0]
    result = await cli(*args)
    assert ok(result), f"{args} matched in this process, not as client.py:\n{result.out}\n{result.err}"
    return result


def write_plan(directory: Path, plan: dict[str, Any], name: str = "plan.yaml") -> str:
    path = directory / name
    path.write_text(yaml.safe_dump(plan))
    return str(path)


def free_port() -> int:
    """A port free now, released for the process the test starts next to bind (another may take it
    meanwhile: where that matters, ``held_ports``)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def closed_port() -> Iterator[int]:
    """A port nothing listens on, for the whole block: bound here but never listening, so a connection
    to it is refused and no other process can take it meanwhile."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])


@contextmanager
def held_ports(count: int) -> Iterator[list[int]]:
    """``count`` distinct free ports, reserved until the block ends (tests/reserved_ports.py): outside the kernel's
    ephemeral range, so no other server's port 0 nor outgoing connection takes one once the block lets it go; release
    them right before the process that binds them starts, to leave the least room for another test's taker."""
    with reserved_ports(count) as ports:
        yield ports
