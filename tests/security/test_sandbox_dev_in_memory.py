"""A sandbox's /dev held no more than the machine's memory allows: bubblewrap's /dev is a tmpfs of half of it, which
the sandbox's uid owned, so a program could write gigabytes there (files no process maps: no count of its processes'
memory sees them). /dev is read-only now (its devices still work) and /dev/shm a tmpfs of SHM_BYTES."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from orchestra.sandbox import SHM_BYTES, Jail, Limits, detect, kill_group

MIB = 1024 * 1024
SCRIPT = f"""
head -c 1000 /dev/zero > /dev/written && echo dev-written
head -c {SHM_BYTES + 8 * MIB} /dev/zero > /dev/shm/big
echo shm-held $(stat -c %s /dev/shm/big)
rm /dev/shm/big
echo quiet > /dev/null && echo null-works
python3 -c 'import multiprocessing; multiprocessing.Lock(); print("semaphore-made")'
"""


async def test_dev_is_read_only_and_shared_memory_bounded(tmp_path: Path) -> None:
    sandbox = detect("auto")
    if sandbox.mode != "bwrap":
        pytest.skip(f"no sandbox here: {sandbox.reason}")
    sandbox.prepare_workspace(tmp_path)
    jail = Jail(workspace=tmp_path, cwd=tmp_path, limits=Limits(cpu_s=60))
    process = await sandbox.spawn(["/bin/sh", "-c", SCRIPT], jail)
    try:
        out, err = await asyncio.wait_for(process.communicate(), 120)
    finally:
        kill_group(process)
    said = out.decode().split()
    assert "dev-written" not in said, "the program wrote a file into /dev"
    held = int(said[said.index("shm-held") + 1])
    assert held <= SHM_BYTES, f"/dev/shm took {held // MIB} MiB"
    assert "null-works" in said, err
    assert "semaphore-made" in said, err  # POSIX shared memory still works
