"""A root worker's sandbox runs in a System V IPC namespace of small limits (attack371 F3): semaphore arrays and
message queues are kernel memory no rlimit bounds and the watchdog does not see, and a new namespace's defaults let
one program take 79 MiB of either past a 64 MiB total (64 GiB of semaphores possible). Real programs in real bwrap."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from orchestra.sandbox import Jail, Limits, detect, kill_group

MIB = 1024 * 1024

# Makes what System V objects it can of the given kind, as many as asked, and says how many it made.
MAKES = """
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.semget.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
class Message(ctypes.Structure):
    _fields_ = [("mtype", ctypes.c_long), ("text", ctypes.c_char * 8192)]
message = Message(1, b"x" * 8192)
kind, count = sys.argv[1], int(sys.argv[2])
made = 0
for _ in range(count):
    if kind == "semaphores":
        if libc.semget(0, 32000, 0o1000 | 0o600) < 0:  # IPC_PRIVATE, IPC_CREAT
            break
    else:
        queue = libc.msgget(0, 0o1000 | 0o600)
        if queue < 0:
            break
        for _ in range(2):
            libc.msgsnd(queue, ctypes.byref(message), 8192, 0o4000)  # IPC_NOWAIT: a full queue refuses
    made += 1
print(made, open("/proc/sys/kernel/sem").read().split(), flush=True)
"""


@pytest.fixture(autouse=True)
def _privileged_bwrap() -> None:
    sandbox = detect("auto")
    if sandbox.mode != "bwrap" or not sandbox.privileged:
        pytest.skip("only a root worker makes the sandbox's IPC namespace (docs/security.md)")


async def _made(tmp_path: Path, kind: str, count: int) -> bytes:
    sandbox = detect("auto")
    sandbox.prepare_workspace(tmp_path)
    jail = Jail(workspace=tmp_path, cwd=tmp_path, limits=Limits(cpu_s=60, total_memory_bytes=64 * MIB))
    process = await sandbox.spawn(["/usr/bin/python3", "-c", MAKES, kind, str(count)], jail)
    try:
        out, err = await asyncio.wait_for(process.communicate(), 120)
        assert process.returncode == 0, err
        return out
    finally:
        kill_group(process)


async def test_an_array_of_thousands_of_semaphores_is_refused(tmp_path: Path) -> None:
    # 40 arrays of 32,000 semaphores held 79 MiB of kernel memory in a namespace of the machine's defaults.
    out = await _made(tmp_path, "semaphores", 40)
    assert out.split()[0] == b"0", out


async def test_message_queues_are_few(tmp_path: Path) -> None:
    # 5,000 full queues of 16 KiB held 79 MiB.
    out = await _made(tmp_path, "queues", 5000)
    assert 0 < int(out.split()[0]) <= 16, out


async def test_the_program_holds_no_descriptor_of_its_namespace(tmp_path: Path) -> None:
    sandbox = detect("auto")
    sandbox.prepare_workspace(tmp_path)
    jail = Jail(workspace=tmp_path, cwd=tmp_path, limits=Limits(cpu_s=60))
    process = await sandbox.spawn(["/bin/sh", "-c", "ls -l /proc/self/fd/"], jail)
    try:
        out, err = await asyncio.wait_for(process.communicate(), 120)
        assert process.returncode == 0 and b"pipe:" in out, (out, err)
        assert b"ipc:" not in out, out
    finally:
        kill_group(process)
