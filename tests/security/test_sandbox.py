"""Code execution through a program: an allowed program that starts another through its options, a
program the operator allowed that runs anything, resource exhaustion, and processes outliving the
worker. The name allowlist is only the second layer; the OS sandbox is what holds."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import uuid

import pytest

from orchestra.confinement import DEFAULT_COMMANDS
from orchestra.record import StepState
from tests.helpers import processes_in, start_plan
from tests.security.support import kill_worker, outcome, ready, real_settings, real_worker, run, spawn_worker, stop
from tests.security.test_stalling import started

SCRIPT_LINE = "touch pwned\n"


@pytest.mark.parametrize(
    "option",
    [["--compress-program=sh"], ["--compress-prog=sh"], ["--compress-program", "sh"]],
    ids=["full", "abbreviated", "separate"],
)
async def test_an_allowed_program_cannot_start_another_through_an_option(client, task_queue, tmp_path, option):
    settings = real_settings(client, task_queue, tmp_path / "ws")
    # Enough input for sort to spill to temporary files, which it pipes through the "compressor".
    plan = {"name": "sort-launch", "nodes": [{"id": "sort", "tool": "shell", "retry": {"max_attempts": 1}, "args": {
        "command": ["sort", *option, "-S", "1k", "-T", "."], "stdin": SCRIPT_LINE * 4000}}]}  # fmt: skip
    record, _ = await run(client, settings, plan)
    step = record.step("sort")
    assert not (settings.workspace / "pwned").exists(), "sort ran the script through sh"
    assert step.state == StepState.ERROR and step.error is not None
    assert "starts another program" in step.error.message


# Values go into the script, not its arguments: an argument naming a path outside the workspace is
# refused before the program starts (the second layer); this is about what the program itself can do.
PROBE = """
import json, os, socket
result = {{"uid": os.getuid()}}
try:
    result["worker_environ"] = open("/proc/{pid}/environ", "rb").read().decode(errors="replace")
except OSError as exc:
    result["worker_environ"] = type(exc).__name__
result["processes"] = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
try:
    socket.create_connection(("{host}", {port}), timeout=3).close()
    result["temporal"] = "connected"
except OSError as exc:
    result["temporal"] = type(exc).__name__
try:
    open("{outside}", "w").write("escaped")
    result["outside"] = "written"
except OSError as exc:
    result["outside"] = type(exc).__name__
print(json.dumps(result))
"""


async def test_a_program_that_runs_anything_still_cannot_reach_the_worker(client, task_queue, tmp_path, monkeypatch):
    secret = f"worker-secret-{uuid.uuid4().hex}"
    monkeypatch.setenv("ORCHESTRA_SECRET_PROBE", secret)
    settings = real_settings(
        client, task_queue, tmp_path / "ws", allowed_commands=[*DEFAULT_COMMANDS, "python3"]
    )  # the operator allowed an interpreter: plans can run any code, inside the sandbox
    host, port = client.service_client.config.target_host.rsplit(":", 1)
    outside = tmp_path / f"escape-{uuid.uuid4().hex}"  # beside the workspace, on the host
    (settings.workspace / "probe.py").write_text(PROBE.format(pid=os.getpid(), host=host, port=port, outside=outside))
    plan = {"name": "probe", "nodes": [{"id": "probe", "tool": "shell", "retry": {"max_attempts": 1},
                                        "args": {"command": ["python3", "probe.py"]}}]}  # fmt: skip
    record, history = await run(client, settings, plan)
    step = record.step("probe")
    assert step.state == StepState.COMPLETED, step.error
    seen = json.loads(step.output["stdout"])
    assert secret not in history and "PATH=" not in seen["worker_environ"], "the worker's environment was read"
    assert os.getpid() not in seen["processes"] or len(seen["processes"]) < 10, "the worker's processes are visible"
    assert seen["temporal"] != "connected", "the sandbox reached the Temporal frontend"
    assert seen["outside"] != "written" and not outside.exists(), "the sandbox wrote outside the workspace"
    assert seen["uid"] != 0


HOG = """
import os, time
forks = 0
try:
    for _ in range(200):
        if os.fork() == 0:
            time.sleep(3)
            os._exit(0)
        forks += 1
except OSError:
    pass
try:
    block = bytearray(1024 * 1024 * 1024)
    memory = "allocated"
except MemoryError:
    memory = "refused"
print(forks, memory, flush=True)
with open("big.bin", "wb") as out:
    out.write(b"x" * (8 * 1024 * 1024))
"""


async def test_processes_memory_and_file_size_are_limited(client, task_queue, tmp_path):
    settings = real_settings(
        client, task_queue, tmp_path / "ws", allowed_commands=[*DEFAULT_COMMANDS, "python3"],
        sandbox_processes=20, sandbox_memory_mb=256, sandbox_file_mb=1,
    )  # fmt: skip
    (settings.workspace / "hog.py").write_text(HOG)
    plan = {"name": "hog", "nodes": [{"id": "hog", "tool": "shell", "retry": {"max_attempts": 1},
                                      "args": {"command": ["python3", "hog.py"], "check": False, "timeout_s": 60}}]}  # fmt: skip
    record, _ = await run(client, settings, plan)
    step = record.step("hog")
    assert step.state == StepState.COMPLETED, step.error
    forks, memory = step.output["stdout"].split()
    assert int(forks) < 20 and memory == "refused"
    assert step.output["exit_code"] != 0, "writing past the file size limit kills the program (SIGXFSZ)"
    assert (settings.workspace / "big.bin").stat().st_size <= 1024 * 1024


async def wait_until(check, within_s: float = 15.0) -> bool:
    for _ in range(int(within_s / 0.05)):
        if check():
            return True
        await asyncio.sleep(0.05)
    return False


async def test_tool_processes_die_with_the_worker_and_their_effect_happens_once(client, task_queue, tmp_path):
    workspace = tmp_path / "ws"
    workspace.mkdir()
    script = "echo started > started; while [ ! -e go ]; do sleep 0.05; done; echo once >> effect.txt"
    plan = {"name": "orphan", "nodes": [{"id": "wait", "tool": "shell", "heartbeat_timeout_s": 2,
             "retry": {"max_attempts": 5, "initial_interval_s": 0.1}, "args": {"command": ["sh", "-c", script]}}]}  # fmt: skip
    commands = ",".join([*DEFAULT_COMMANDS, "sh"])
    first = spawn_worker(client, task_queue, workspace, ORCHESTRA_ALLOWED_COMMANDS=commands)
    try:
        await ready(first)
        handle = await start_plan(client, task_queue, plan)
        assert await wait_until(lambda: (workspace / "started").exists()), "the step never started"
    except BaseException:
        stop(first, signal.SIGKILL)
        raise
    await kill_worker(client, first, handle.id)
    gone = await wait_until(lambda: not processes_in(workspace))
    (workspace / "go").touch()
    second = spawn_worker(client, task_queue, workspace, ORCHESTRA_ALLOWED_COMMANDS=commands)
    try:
        await ready(second)
        record = await outcome(handle)
    finally:
        stop(second)
    assert gone, "the step's processes outlived the worker that started them"
    assert record.step("wait").state == StepState.COMPLETED
    assert (workspace / "effect.txt").read_text() == "once\n", "the side effect happened twice"


async def test_one_run_holding_its_processes_does_not_starve_another_runs_programs(client, task_queue, tmp_path):
    settings = real_settings(
        client, task_queue, tmp_path / "ws", sandbox_processes=3, allowed_commands=[*DEFAULT_COMMANDS, "python3"]
    )
    wait = {"command": ["sleep", "60"], "timeout_s": 90}
    holding = {"name": "hold", "nodes": [
        {"id": f"hold{i}", "tool": "shell", "retry": {"max_attempts": 1}, "args": wait} for i in range(3)
    ]}  # fmt: skip
    # A program that starts another: the kernel counts processes when they fork (not when they exec).
    child = "import subprocess; print(subprocess.run(['echo', 'still here'], capture_output=True, text=True).stdout)"
    quick = {"name": "quick", "nodes": [{"id": "echo", "tool": "shell", "retry": {"max_attempts": 1},
                                         "args": {"command": ["python3", "-c", child]}}]}  # fmt: skip
    async with real_worker(client, settings):
        held = await start_plan(client, task_queue, holding)
        for i in range(3):
            await started(held, f"hold{i}")
        assert await wait_until(lambda: len(processes_in(settings.workspace)) >= 3), "the sleeps never started"
        record = await outcome(await start_plan(client, task_queue, quick))
        await held.cancel()
    step = record.step("echo")
    assert step.state == StepState.COMPLETED, step.error
    assert step.output["stdout"].strip() == "still here"


NESTED_USERNS = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
print("allowed" if libc.unshare(0x10000000) == 0 else os.strerror(ctypes.get_errno()))
"""


async def test_a_sandboxed_program_cannot_make_user_namespaces(client, task_queue, tmp_path):
    settings = real_settings(client, task_queue, tmp_path / "ws", allowed_commands=[*DEFAULT_COMMANDS, "python3"])
    (settings.workspace / "userns.py").write_text(NESTED_USERNS)
    plan = {"name": "userns", "nodes": [{"id": "try", "tool": "shell", "retry": {"max_attempts": 1},
                                         "args": {"command": ["python3", "userns.py"]}}]}  # fmt: skip
    record, _ = await run(client, settings, plan)
    step = record.step("try")
    assert step.state == StepState.COMPLETED, step.error
    assert step.output["stdout"].strip() != "allowed", "a nested user namespace widens the kernel's attack surface"
