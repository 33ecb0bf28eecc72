"""A bound on the memory one sandbox's processes hold together, without a cgroup.

RLIMIT_AS is each process's, and a sandbox may run ``Limits.processes`` of them: six children of 500 MB held
1,894 MiB under a 1 GiB limit. No cgroup can be made per sandbox on the machines this runs on (a v1 hierarchy
the host owns, a v2 mount with no controllers, and bubblewrap makes none), so the worker looks instead: a few
times a second it adds up what every process of the sandbox holds resident and, past ``Limits.total_memory_bytes``,
kills the whole sandbox (``kill_group``).

The processes are found by walking ``/proc/PID/task/TID/children`` down from the process ``spawn`` started:
with bwrap every process of the sandbox is in its pid namespace, and so below that namespace's init, which is
below the started process (an orphan is given to that init, or to a subreaper that is itself below it). Only the
sandbox's own entries of /proc are read, never all of it. The sum is of each process's resident pages of its own and of shared memory
(``status``'s RssAnon + RssShmem: one short read; a file's pages mapped from the disk are page cache, not held); that counts a page shared by several (a forked child's copy-on-write pages, the
libraries) in each, so a sum over the total is checked again with proportional shares (``smaps_rollup``'s Pss,
dearer: the kernel walks the page tables; at most once a second) before the sandbox is stopped.

What it cannot see: memory taken and used faster than one period (each process's RLIMIT_AS still holds it
then); files in memory that no process maps (the sandbox's ``/tmp`` and ``/dev/shm``, bounded by their sizes; memfds,
each bounded by the file size limit but not their number; System V shared memory segments, not bounded); the kernel's own memory for the processes (page tables, socket buffers). Without
bwrap (ORCHESTRA_SANDBOX=off) a process that leaves its parent is not found.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
from collections.abc import Iterator

from orchestra.sandbox import kill_group

PERIOD_S = 0.25
# How often at most the proportional count is taken while the cheap one says over (and it said under).
WEIGH_EVERY_S = 1.0
MIB = 1024 * 1024


def sandbox_pids(root: int) -> list[int]:
    """``root`` and every process below it (each once: a thread's children are its process's)."""
    found: dict[int, None] = {}
    pending = [root]
    while pending:
        pid = pending.pop()
        found[pid] = None
        pending.extend(child for child in _children(pid) if child not in found)
    return list(found)


def _children(pid: int) -> Iterator[int]:
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:  # it ended meanwhile
        return
    for thread in threads:
        yield from map(int, _read(f"/proc/{pid}/task/{thread}/children").split())


def resident_bytes(pids: list[int]) -> int:
    """What the processes hold resident of their own and of shared memory (RssAnon + RssShmem), a shared page counted
    in each one (an over-estimate, cheap). A file's pages mapped from the disk are page cache the kernel drops at will:
    counted, a program reading a large input by mmap (sqlite, git's packs) was stopped as if it held it."""
    total = 0
    for pid in pids:
        for line in _read(f"/proc/{pid}/status").splitlines():
            if line.startswith((b"RssAnon:", b"RssShmem:")):
                total += int(line.split()[1]) * 1024
    return total


def _read(path: str) -> bytes:
    """A short file of /proc, or nothing once its process has ended (os-level: a third of a buffered open's cost)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return b""
    try:
        return os.read(fd, 65536)
    except OSError:
        return b""
    finally:
        os.close(fd)


def proportional_bytes(pids: list[int]) -> int:
    """What the processes hold of their own and of shared memory, a shared page divided among those sharing it
    (Pss_Anon + Pss_Shmem; the whole Pss on a kernel that does not split it, file pages included)."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError), open(f"/proc/{pid}/smaps_rollup", "rb") as file:
            kib = {name: int(value.split()[0]) for name, value in (line.split(b":", 1) for line in file)
                   if name.startswith(b"Pss")}  # fmt: skip
            held = kib.get(b"Pss_Anon", 0) + kib.get(b"Pss_Shmem", 0) if b"Pss_Anon" in kib else kib.get(b"Pss", 0)
            total += held * 1024
    return total


def over_message(held: int, total: int) -> str:
    return (
        f"the program's processes held {_size(held)}, over the sandbox's {_size(total)} "
        "(ORCHESTRA_SANDBOX_MEMORY_TOTAL_MB): stopped"
    )


def _size(size: int) -> str:
    gib = 1024 * MIB
    return f"{size / gib:.1f} GiB" if size >= gib else f"{size / MIB:.0f} MiB"


async def watch(process: asyncio.subprocess.Process, total: int, period_s: float = PERIOD_S) -> int | None:
    """Look every ``period_s`` until the sandbox of ``process`` holds more than ``total`` bytes, then kill it and
    return what it held; None once the process has ended (with bwrap the pid namespace ended with it). Its caller
    cancels it when it no longer waits for the process."""
    loop = asyncio.get_running_loop()
    weighed_at = -math.inf
    while True:
        await asyncio.sleep(period_s)
        if process.returncode is not None:
            return None
        pids = sandbox_pids(process.pid)
        if resident_bytes(pids) <= total or loop.time() - weighed_at < WEIGH_EVERY_S:
            continue
        # Over by the cheap count, which a forking program passes with pages its processes share (a hundred forked
        # Pythons: 502 MiB resident, 19 MiB proportional): weighed properly, off the event loop (14 ms for them).
        weighed_at = loop.time()
        held = await asyncio.to_thread(proportional_bytes, pids)
        if held > total and process.returncode is None:
            kill_group(process)
            return held
