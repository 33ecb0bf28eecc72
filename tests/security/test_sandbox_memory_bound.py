"""One sandbox's memory is bounded by what docs/security.md says: each process's address space times the processes it
may run, and its /tmp (``Limits.memory_bound_bytes``). The docs said the address space limit alone (about 1.25 GiB),
and six children of 500 MB held 1,894 MiB. A real sandboxed program here forks as many children as it may, each
filling as much memory as it can (small limits: the machine is shared)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from orchestra.sandbox import SHM_BYTES, TMP_BYTES, Jail, Limits, detect, kill_group

MIB = 1024 * 1024
# Forks up to 8 children; each fills 4 MiB blocks until refused (or 64 MiB) and says how many it holds; the parent
# adds up its children's resident memory while all of them hold theirs.
FILLER = """
import os, time
kids, pipes = [], []
for _ in range(8):
    r, w = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        held = []
        try:
            while len(held) < 16:
                block = bytearray(4 << 20)
                block[::4096] = b"x" * len(block[::4096])
                held.append(block)
        except MemoryError:
            pass
        os.write(w, b"1")
        time.sleep(60)
        os._exit(0)
    kids.append(pid)
    pipes.append(r)
for r in pipes:
    os.read(r, 1)
def rss(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) * 1024
print(len(kids), sum(rss(k) for k in kids) + rss(os.getpid()), flush=True)
for k in kids:
    os.kill(k, 9)
"""


def test_the_bound_counts_every_process_the_tmp_and_the_shared_memory() -> None:
    limits = Limits(memory_bytes=64 * MIB, processes=3)
    assert limits.memory_bound_bytes == 3 * 64 * MIB + TMP_BYTES + SHM_BYTES


async def test_a_sandboxed_programs_children_hold_no_more_than_the_bound(tmp_path: Path) -> None:
    sandbox = detect("auto")
    if sandbox.mode != "bwrap":
        pytest.skip(f"no sandbox here: {sandbox.reason}")
    sandbox.prepare_workspace(tmp_path)
    limits = Limits(cpu_s=60, memory_bytes=64 * MIB, processes=3)
    jail = Jail(workspace=tmp_path, cwd=tmp_path, limits=limits)
    process = await sandbox.spawn(["/usr/bin/python3", "-c", FILLER], jail)
    try:
        out, err = await asyncio.wait_for(process.communicate(), 120)
    finally:
        kill_group(process)
    forked, held = map(int, out.split())
    print(f"{forked} children, {held // MIB} MiB held, bound {limits.memory_bound_bytes // MIB} MiB")
    assert forked < 8, "the process limit refused some of the forks"
    assert forked >= 1, err
    assert held <= limits.memory_bound_bytes - TMP_BYTES - SHM_BYTES, f"{forked} children held {held // MIB} MiB"
    assert held > limits.memory_bytes, "the children together held more than one process may: the bound is a sum"
