"""`up` and `down` on ports and a data dir of the test's own (never the default 7233)."""

from __future__ import annotations

import asyncio
import fcntl
import subprocess
import sys
import uuid
from pathlib import Path

from temporalio.client import Client

from orchestra.cli.stack import process_alive, start_time
from orchestra.cli.workers_seen import seen
from orchestra.record import AgentState, ExecutionRecord, StepState
from orchestra.settings import PROJECT_ROOT
from tests.cli.cli import CLIENT, TIMEOUT_S, Result, clean_env, held_ports, run_client, run_here, use_env


def pid_in(path: Path) -> int:
    return int(path.read_text().split()[0])  # "<pid> <start time>"


def port_taken(up: Result) -> bool:
    """`up` lost one of its ports to another process between our release and its bind: its server
    could not bind it, or it found a server it did not start there (and used it, or refused it: "is taken by")."""
    return "address already in use" in up.err or "not started by `up`" in up.out or "is taken by" in up.err


async def up_on_ports_of_its_own(tmp_path: Path) -> tuple[Result, dict[str, str], Path, int, int]:
    """`up` on three ports held until just before it starts; tried once more on new ones if a port was
    taken in that gap. Returns its result, environment, data dir, UI port and demo site port."""
    for attempt in (1, 2):
        data = tmp_path / f"data-{attempt}"
        with held_ports(3) as (port, ui_port, site_port):
            env = clean_env(
                TEMPORAL_ADDRESS=f"127.0.0.1:{port}",
                ORCHESTRA_UI_PORT=str(ui_port),
                ORCHESTRA_DEMO_SITE_PORT=str(site_port),
                ORCHESTRA_DATA_DIR=str(data),
                ORCHESTRA_TASK_QUEUE=f"up-{uuid.uuid4()}",
            )
        up = await run_client("up", env=env)
        if attempt == 1 and port_taken(up):
            await run_client("down", env=env)  # a worker it started against another server, if any
            continue
        return up, env, data, ui_port, site_port
    raise AssertionError("unreachable")


async def test_up_runs_the_example_then_down_stops_everything(tmp_path):
    up, env, data, ui_port, site_port = await up_on_ports_of_its_own(tmp_path)
    try:
        assert up.code == 0, up.out + up.err
        assert f"http://localhost:{ui_port}/namespaces/default/workflows" in up.out
        assert str(data / "logs" / "worker.log") in up.out
        server_pid, worker_pid = pid_in(data / "temporal.pid"), pid_in(data / "worker.pid")
        assert process_alive(server_pid, "start-dev") and process_alive(worker_pid, "worker.py")
        # `up` said it started the worker once the server lists it polling: a `status` now finds it (it said so before
        # the worker's first poll, and `status` said no worker polls).
        assert "started the worker" in up.out and "not yet listed" not in up.out, up.out
        client = await Client.connect(env["TEMPORAL_ADDRESS"])
        assert (await seen(client, "default", env["ORCHESTRA_TASK_QUEUE"])).polling == 1

        again = await run_client("up", env=env)
        assert again.code == 0, again.err
        assert f"already running (pid {server_pid})" in again.out and f"already running (pid {worker_pid})" in again.out

        example = str(PROJECT_ROOT / "examples" / "site_report.yaml")
        run = await run_client(
            "run", "--plan", example, "--input", f"base_url=http://127.0.0.1:{site_port}", "--json", env=env
        )
        assert run.code == 0, run.out + run.err
        record = ExecutionRecord.model_validate_json(run.out)
        assert record.state == AgentState.COMPLETED
        assert record.step("archive").state == StepState.SKIPPED, "its condition is false by default"
        assert record.step("verify").state == StepState.COMPLETED
        report = (data / "workspace" / "report.md").read_text()
        assert report.startswith("# Site report") and "Orchestra demo site" in report and "inventory 2.4.1" in report
    finally:
        down = await run_client("down", env=env)
    assert down.code == 0, down.err
    assert "stopped the worker" in down.out and "stopped the Temporal dev server" in down.out
    assert "stopped the demo site" in down.out
    assert not process_alive(server_pid, "start-dev") and not process_alive(worker_pid, "worker.py")
    assert not (data / "temporal.pid").exists() and not (data / "worker.pid").exists()
    nothing = await run_client("down", env=env)
    assert nothing.code == 0 and "nothing to stop" in nothing.out


def decoy(*args: str) -> subprocess.Popen[bytes]:
    """An unrelated process leading its own group, like the parts `up` launches."""
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", *args], start_new_session=True)


def started_at(pid: int) -> int:
    value = start_time(pid)
    assert value is not None
    return value


async def test_down_leaves_unrelated_processes_alone(tmp_path, closed_address, monkeypatch):
    """The first `down` as `client.py`, the others in this process (the same code)."""
    data = tmp_path / "data"
    data.mkdir()
    env = clean_env(TEMPORAL_ADDRESS=closed_address, ORCHESTRA_DATA_DIR=str(data))
    use_env(monkeypatch, env)
    elsewhere = tmp_path / "x"
    worker_like = decoy(str(elsewhere / "worker.py"))  # "worker.py" in its command line, like ours
    server_like = decoy("server", "start-dev", "--db-filename", str(elsewhere / "temporal.db"))
    worker_pid, server_pid = worker_like.pid, server_like.pid
    try:
        cases = [
            (f"{worker_pid}\n", None, "does not hold a pid and a start time"),  # the old format
            (f"{worker_pid} {started_at(worker_pid) + 1}\n", None, "another process now"),  # a reused pid
            (f"{worker_pid} {started_at(worker_pid)}\n", None, "not the worker"),  # same process, wrong command
            (None, f"{server_pid} {started_at(server_pid)}\n", "not the Temporal dev server"),
        ]
        for worker_file, server_file, reason in cases:
            if worker_file:
                (data / "worker.pid").write_text(worker_file)
            if server_file:
                (data / "temporal.pid").write_text(server_file)
            down = await (run_client("down", env=env) if reason == cases[0][2] else run_here("down", client=None))
            assert down.code == 0, down.err
            assert "removed the stale pid file" in down.out and reason in down.out, down.out
            assert "nothing to stop" in down.out and "stopped" not in down.out
            assert worker_like.poll() is None and server_like.poll() is None, "down killed an unrelated process"
            assert not (data / "worker.pid").exists() and not (data / "temporal.pid").exists()
    finally:
        for process in (worker_like, server_like):
            process.kill()
            process.wait()


async def test_up_and_down_take_turns_on_the_data_dir(tmp_path, closed_address):
    data = tmp_path / "data"
    data.mkdir()
    env = clean_env(TEMPORAL_ADDRESS=closed_address, ORCHESTRA_DATA_DIR=str(data))
    (data / "worker.pid").write_text("1 1\n")
    with (data / "stack.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as a running `up` holds it
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(CLIENT), "down", cwd=PROJECT_ROOT, env=env, stdout=asyncio.subprocess.PIPE
        )
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), TIMEOUT_S)
        assert b"waiting for another `up` or `down`" in line
        assert (data / "worker.pid").exists(), "down went ahead while the lock was held"
        fcntl.flock(lock, fcntl.LOCK_UN)
    rest, _ = await asyncio.wait_for(process.communicate(), TIMEOUT_S)
    assert process.returncode == 0
    assert b"removed the stale pid file of the worker" in rest
    assert not (data / "worker.pid").exists()


def test_the_demo_installs_only_what_the_product_needs():
    """`./scripts/demo` runs `./scripts/setup`: no test tools, and of system packages only the OS sandbox
    tool processes run in (bubblewrap); the tests' set-up does the rest."""
    setup = (PROJECT_ROOT / "scripts" / "setup").read_text()
    demo = (PROJECT_ROOT / "scripts" / "demo").read_text()
    assert "./scripts/setup\n" in demo and "setup-test" not in demo
    for only_for_tests in ("docker-compose", "[dev]"):
        assert only_for_tests not in setup, only_for_tests
    installs = [line.split("install", 1)[1] for line in setup.splitlines() if "apt-get install" in line]
    assert all(line.split()[-2:] == ["bubblewrap", ">/dev/null"] for line in installs), installs
    setup_test = (PROJECT_ROOT / "scripts" / "setup-test").read_text()
    assert "ORCHESTRA_SETUP_EXTRAS=dev ./scripts/setup\n" in setup_test and "docker-compose" in setup_test
    assert "./scripts/setup-test\n" in (PROJECT_ROOT / "scripts" / "test").read_text()
