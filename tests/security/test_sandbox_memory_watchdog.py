"""One sandbox's processes together hold no more than ORCHESTRA_SANDBOX_MEMORY_TOTAL_MB: the worker's watchdog adds
up what each holds and stops the sandbox past it. Before, only each process's address space was bounded, and six
children of 500 MB held 1,894 MiB in one step. Real programs in real bwrap, through a real worker; small sizes (the
machine is shared)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from orchestra.confinement import DEFAULT_COMMANDS
from orchestra.record import StepState
from orchestra.sandbox import Jail, Limits, detect, kill_group
from orchestra.sandbox_memory import watch
from tests.security.support import real_settings, run

# Forks CHILDREN children; each fills MIB MiB and holds it for HOLD_S seconds; the parent waits for them all.
FILLER = """
import os, sys, time
children, mib, hold_s = map(float, sys.argv[1:])
for _ in range(int(children)):
    if os.fork() == 0:
        block = bytearray(int(mib) << 20)
        block[::4096] = b"x" * len(block[::4096])
        time.sleep(hold_s)
        os._exit(0)
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
print("done")
"""


@pytest.fixture(autouse=True)
def _bwrap() -> None:
    sandbox = detect("auto")
    if sandbox.mode != "bwrap":
        pytest.skip(f"no sandbox here: {sandbox.reason}")


def _plan(children: int, mib: int, hold_s: float) -> dict[str, object]:
    command = ["python3", "filler.py", str(children), str(mib), str(hold_s)]
    return {"name": "memory", "nodes": [{"id": "fill", "tool": "shell", "retry": {"max_attempts": 3},
                                         "args": {"command": command, "timeout_s": 120}}]}  # fmt: skip


async def _run(client, task_queue, tmp_path, children: int, mib: int, hold_s: float):
    settings = real_settings(
        client,
        task_queue,
        tmp_path / "ws",
        allowed_commands=[*DEFAULT_COMMANDS, "python3"],
        sandbox_memory_total_mb=128,
    )
    (settings.workspace / "filler.py").write_text(FILLER)
    record, _ = await run(client, settings, _plan(children, mib, hold_s))
    return record.step("fill")


def _watchdogs() -> list[asyncio.Task[object]]:
    return [task for task in asyncio.all_tasks() if getattr(task.get_coro(), "__name__", "") == "watch"]


async def test_children_holding_more_than_the_total_together_are_stopped(client, task_queue, tmp_path):
    # Three children of 60 MiB: each well within its address space limit (1 GiB), together past 128 MiB. They hold
    # it for a minute: only the watchdog ends them sooner.
    step = await _run(client, task_queue, tmp_path, children=3, mib=60, hold_s=60)
    assert step.state == StepState.ERROR and step.error is not None, step.output
    assert step.error.code == "sandbox_memory_total", step.error
    assert "the program's processes held" in step.error.message
    assert "over the sandbox's 128 MiB" in step.error.message and step.error.message.endswith("stopped")
    assert step.attempts == 1 and not step.error.retryable, "the same program would hold as much again"
    assert not _watchdogs(), "the watchdog outlived its program"


async def test_children_holding_less_than_the_total_complete(client, task_queue, tmp_path):
    # Held for a second: several of the watchdog's looks.
    step = await _run(client, task_queue, tmp_path, children=2, mib=30, hold_s=1)
    assert step.state == StepState.COMPLETED, step.error
    assert step.output["stdout"].strip() == "done"
    assert not _watchdogs(), "the watchdog outlived its program"


async def test_the_watchdog_ends_with_its_program(tmp_path: Path) -> None:
    sandbox = detect("auto")
    sandbox.prepare_workspace(tmp_path)
    jail = Jail(workspace=tmp_path, cwd=tmp_path, limits=Limits(cpu_s=60))
    process = await sandbox.spawn(["/usr/bin/python3", "-c", FILLER, "2", "8", "0.5"], jail)
    try:
        watchdog = asyncio.ensure_future(watch(process, 128 * 1024 * 1024))
        await asyncio.wait_for(process.communicate(), 120)
        assert await asyncio.wait_for(watchdog, 30) is None, "it stopped a program under its total"
    finally:
        kill_group(process)


# Maps a file of MIB MiB read-only and reads a byte a page: page cache the kernel may drop, held by nobody.
MAPPER = """
import mmap, sys
mib = int(sys.argv[1])
with open("big.bin", "wb") as out:
    for _ in range(mib):  # a MiB at a time: the file's bytes are never the program's own memory
        out.write(b"y" * (1 << 20))
with open("big.bin", "rb") as data, mmap.mmap(data.fileno(), 0, prot=mmap.PROT_READ) as view:
    print(sum(view[i] for i in range(0, len(view), 4096)) > 0)
    import time; time.sleep(2)
"""


async def test_a_file_read_by_mmap_is_not_memory_the_sandbox_holds(tmp_path: Path) -> None:
    # attack361: a 96 MiB file mapped and read under a 64 MiB total was stopped (its pages counted as resident).
    sandbox = detect("auto")
    sandbox.prepare_workspace(tmp_path)
    jail = Jail(workspace=tmp_path, cwd=tmp_path, limits=Limits(cpu_s=60))
    process = await sandbox.spawn(["/usr/bin/python3", "-c", MAPPER, "96"], jail)
    try:
        watchdog = asyncio.ensure_future(watch(process, 64 * 1024 * 1024))
        out, _ = await asyncio.wait_for(process.communicate(), 120)
        assert await asyncio.wait_for(watchdog, 30) is None, "it stopped a program that only read a file"
        assert process.returncode == 0 and out.strip() == b"True", (process.returncode, out)
    finally:
        kill_group(process)
