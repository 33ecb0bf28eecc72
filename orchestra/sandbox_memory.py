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

Memory no process need map is counted too: each memfd the processes hold, by a descriptor, a mapping or as their
program, once by its allocated size (sandbox_objects.py, a bounded slice of the descriptors and mappings a look), and
the System V shared memory segments of the sandbox's own IPC namespace (``/proc/sysvipc/shm``, read by a thread that
enters that namespace for the read: the file shows the reader's namespace), attached or not. The pages of them a
process maps and has touched are in its RssShmem too: cheaply, counted twice; weighed, taken out of the Pss again
(those mappings' Pss, from the ``smaps`` of the processes mapping one; of one running, whose read may miss a mapping
there throughout, all its shared memory up to them). Each look runs in a thread: with these walks,
one sandbox's look on the event loop would hold it for every other run. A look's work is bounded (the processes' threads, at
most ``Limits.processes``: three short reads each, each file once a look, sandbox_processes.py; ``ENTRIES_PER_LOOK``
descriptors and mappings, none of a process that has not run since its last walk; the segment table, at most 256 rows), a weighing's too (the processes' ``smaps_rollup``, and ``SMAPS_LINES_PER_WEIGHING`` lines of ``smaps``).

A best-effort bound for ordinary programs, not a hard one against a hostile program. What it cannot see: memory
taken and used faster than one period (each process's RLIMIT_AS still holds it then); files in memory that no process
maps (the sandbox's ``/tmp`` and ``/dev/shm``, bounded by their sizes); and, bounded only by each process's RLIMIT_AS
or RLIMIT_FSIZE times its descriptors, times the processes (docs/security.md lists them, attack378): a memfd in
flight in a socket's queue or in an io_uring's registered files, ``memfd_secret`` files, shared anonymous memory dropped from the page tables, a holder
moving faster than a walk round, a hog behind mappings that slide forever; a memfd held by a mapping only, and System V segments, when the
worker is not root (sizing it through ``/proc/PID/map_files`` and entering the sandbox's IPC namespace need
CAP_SYS_ADMIN in the worker's own user namespace); semaphores and message queues (kernel memory a root worker's
sandbox_ipc.py keeps small; the machine's defaults otherwise); the kernel's own memory for the
processes (page tables, socket buffers). Without bwrap (ORCHESTRA_SANDBOX=off) a process that leaves its parent is
not found, and no segments are counted (the program shares the host's IPC namespace).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import functools
import math
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from orchestra.sandbox import kill_group
from orchestra.sandbox_ipc import CLONE_NEWIPC, libc
from orchestra.sandbox_objects import Hidden, SharedObjects, mapped_share, process_dir
from orchestra.sandbox_processes import read_proc, resident, sandbox_processes

PERIOD_S = 0.25
# How often at most the proportional count is taken while the cheap one says over (and it said under).
WEIGH_EVERY_S = 1.0
# And at most this share of the time: a weighing walks every page table of the sandbox (the kernel's smaps_rollup),
# 256 processes of 65,530 mappings some seconds of one of the watchdogs' threads, which every sandbox shares.
WEIGH_SHARE = 0.1
MIB = 1024 * 1024


def sandbox_pids(root: int) -> list[int]:
    """``root`` and every process below it (each once: a thread's children are its process's)."""
    return list(sandbox_processes(root))


def _rollups(pids: list[int]) -> dict[int, tuple[int, int]]:
    """Each process's proportional bytes held, and of them its shared memory's (all it holds, on a kernel that does
    not split Pss: what could be shared memory); never more than its resident counters say, read after.

    The kernel sums smaps_rollup mapping by mapping, and lets go of the process's mappings part way when the process
    changes them: a mapping moved across its place meanwhile counted twice (40 MiB moved by mremap, as realloc does:
    80 MiB in 14 of 300 rollups, fix403), and a program under its total was stopped. The counters are not a walk."""
    found = {}
    for pid in pids:
        here = process_dir(pid)
        with contextlib.suppress(OSError), open(f"{here}/smaps_rollup", "rb") as file:
            kib = {name: int(value.split()[0]) for name, value in (line.split(b":", 1) for line in file)
                   if name.startswith(b"Pss")}  # fmt: skip
            split = b"Pss_Anon" in kib
            held = kib.get(b"Pss_Anon", 0) + kib.get(b"Pss_Shmem", 0) if split else kib.get(b"Pss", 0)
            shared = kib.get(b"Pss_Shmem", 0) if split else kib.get(b"Pss", 0)
            anon, shmem = resident(read_proc(f"{here}/status"))
            found[pid] = (min(held * 1024, anon + shmem), min(shared * 1024, shmem))
    return found


def over_message(held: int | Hidden, total: int) -> str:
    if isinstance(held, Hidden):
        return str(held)
    return (
        f"the program's processes held {_size(held)}, over the sandbox's {_size(total)} "
        "(ORCHESTRA_SANDBOX_MEMORY_TOTAL_MB): stopped"
    )


def _size(size: int) -> str:
    gib = 1024 * MIB
    return f"{size / gib:.1f} GiB" if size >= gib else f"{size / MIB:.0f} MiB"


class IpcNamespace:
    """The sandbox's System V IPC namespace, found among its processes' once one is in a namespace other than the
    worker's, and held open until :meth:`close` (held, it keeps the namespace's segments: close it with the watch)."""

    def __init__(self) -> None:
        self._fd: int | None = None
        self._unreadable = False
        # Looks run in threads, and a cancelled watch closes while its last look may still read.
        self._lock = threading.Lock()

    def segments(self, pids: list[int]) -> list[int]:
        """Each shared memory segment of the namespace: the bytes it holds (resident and swapped), attached or not.
        None seen without a namespace of its own or the right to enter it."""
        with self._lock:
            return self._segments(pids)

    def _segments(self, pids: list[int]) -> list[int]:
        if self._unreadable:
            return []
        if self._fd is None:
            self._fd = _other_namespace(pids)
            if self._fd is None:
                return []
        text = _segments_in(self._fd)
        if text is None:
            self._unreadable = True
            return []
        return _parse_segments(text)

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
            self._unreadable = True  # a look after the close (a cancelled one's) finds nothing to open again


def _other_namespace(pids: list[int]) -> int | None:
    own = os.stat("/proc/self/ns/ipc").st_ino
    for pid in pids:
        with contextlib.suppress(OSError):
            if os.stat(f"/proc/{pid}/ns/ipc").st_ino != own:
                return os.open(f"/proc/{pid}/ns/ipc", os.O_RDONLY | os.O_CLOEXEC)
    return None


@functools.cache
def _own_namespace() -> int:
    """The worker's IPC namespace (its main thread's), where a thread that entered a sandbox's returns."""
    return os.open("/proc/self/ns/ipc", os.O_RDONLY | os.O_CLOEXEC)


def _segments_in(namespace: int) -> bytes | None:
    """``/proc/sysvipc/shm`` as ``namespace`` sees it (the file shows its reader's), or None if it cannot be entered.
    This thread enters it for the read only: it is a pooled thread, and returns to the worker's own at once."""
    own = _own_namespace()
    if libc().setns(namespace, CLONE_NEWIPC) != 0:
        return None
    try:
        with open("/proc/sysvipc/shm", "rb") as table:
            return table.read()
    finally:
        if libc().setns(own, CLONE_NEWIPC) != 0:  # never seen: the worker is root, and the namespace its own
            raise OSError(ctypes.get_errno(), "could not return to the worker's IPC namespace")


def _parse_segments(text: bytes) -> list[int]:
    header, *rows = text.splitlines()
    names = header.split()
    at = {name: names.index(name) for name in (b"rss", b"swap")}
    return [int(fields[at[b"rss"]]) + int(fields[at[b"swap"]]) for fields in map(bytes.split, rows)
            if len(fields) == len(names)]  # fmt: skip


@dataclass
class Unmapped:
    """What one watch keeps of the memory no process need map, between its looks."""

    objects: SharedObjects = field(default_factory=SharedObjects)
    namespace: IpcNamespace = field(default_factory=IpcNamespace)

    def close(self) -> None:
        self.objects.close()
        self.namespace.close()


def held_roughly(root: int, unmapped: Unmapped) -> tuple[list[int], int]:
    """The sandbox's processes, and what they hold by the cheap count: every memfd and segment whole, mapped or not
    (a mapped one's touched pages are in RssShmem too: an over-estimate, weighed again before anything is stopped)."""
    seen = sandbox_processes(root)  # each process's files read once, for all the look needs of them
    pids = list(seen)
    memfds = sum(unmapped.objects.look(pids, seen).values())
    segments = sum(unmapped.namespace.segments(pids))
    return pids, sum(process.resident for process in seen.values()) + memfds + segments


def held_weighed(pids: list[int], unmapped: Unmapped) -> int:
    """What the processes hold, a shared page divided among those sharing it, each memfd and segment counted once
    whole: their pages the processes map are taken out of the proportional count again (only the smaps of processes
    holding shared memory are read). Never more than they hold: a stop is decided on it."""
    segments = sum(unmapped.namespace.segments(pids))
    rollups = _rollups(pids)
    # The smaps of every process holding shared memory now, not only of those the walk saw mapping a memfd: a child
    # mapping one after the walk's round began was weighed twice (attack378 F8).
    objects = unmapped.objects.held_at_once + segments
    mapped = mapped_share({pid: shared for pid, (_, shared) in rollups.items() if shared}, objects)
    held = sum(held for held, _ in rollups.values())
    return max(0, held - mapped) + objects


def _timed(weigh: Callable[[list[int], Unmapped], int], pids: list[int], unmapped: Unmapped) -> tuple[int, float]:
    started = time.perf_counter()
    return weigh(pids, unmapped), time.perf_counter() - started


@functools.cache
def _looks() -> ThreadPoolExecutor:
    """The watchdogs' own threads: a hostile sandbox's dear looks wait for each other here, not for (nor before) the
    worker's other work in its default pool; and only these threads ever enter a sandbox's IPC namespace."""
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="sandbox-memory")


async def watch(process: asyncio.subprocess.Process, total: int, period_s: float = PERIOD_S) -> int | Hidden | None:
    """Look every ``period_s`` until the sandbox of ``process`` holds more than ``total`` bytes, then kill it and
    return what it held (or why what it holds could not be seen: :class:`Hidden`); None once the process has ended
    (with bwrap the pid namespace ended with it). Its caller cancels it when it no longer waits for the process."""
    loop = asyncio.get_running_loop()
    weighed_at = -math.inf
    unmapped = Unmapped()
    looked = False
    try:
        while True:
            await asyncio.sleep(period_s)
            if process.returncode is not None:
                return None
            looked = True
            try:
                pids, held = await loop.run_in_executor(_looks(), held_roughly, process.pid, unmapped)
            except Hidden as hidden:  # out of sight is not nothing: what it holds is bounded by its rlimits only
                if process.returncode is not None:
                    return None
                kill_group(process)
                return hidden
            if held <= total or loop.time() - weighed_at < WEIGH_EVERY_S:
                continue
            # Over by the cheap count, which a forking program passes with pages its processes share (a hundred forked
            # Pythons: 502 MiB resident, 19 MiB proportional): weighed properly (14 ms for them).
            held, took_s = await loop.run_in_executor(_looks(), _timed, held_weighed, pids, unmapped)
            # The next no sooner than a second on, nor than 1/share of this one's time.
            weighed_at = loop.time() + max(0.0, took_s / WEIGH_SHARE - WEIGH_EVERY_S)
            if held > total and process.returncode is None:
                kill_group(process)
                return held
    finally:
        if looked:  # in a thread: a cancelled look's thread may still be reading it (the lock waits for it)
            await asyncio.shield(loop.run_in_executor(_looks(), unmapped.close))
        else:  # a program done before the first look (most steps) opened nothing: no thread to wait for
            unmapped.close()
