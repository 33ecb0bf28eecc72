"""What one look of the sandbox memory watchdog reads of each process, each file once (sandbox_memory.py).

Per thread, ``/proc/PID/task/TID/{stat,status,children}``: its state and start, its context switches, its children;
and of the process, from a live thread's ``status``, what it holds resident. From them, whether the process can have
changed its descriptors or mappings since a look: a task that ran since was switched in, and is running now or was
switched out again (each switch out counts in ``status``'s ``voluntary_ctxt_switches`` or ``nonvoluntary_...``). A
process whose every thread is the same, not running and switched as often as before changed nothing of its own: only
a process sharing its tables could have, and that one ran, or ended (sandbox_objects.py walks every process again
then). Such a process's descriptors and mappings need no walk (sandbox_objects.py); what it holds still changes
without it running (a child writing a shared page), and is read every look.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

RUNNING = b"R"
ENDED = (b"Z", b"X", b"")
# What a process holds resident of its own and of shared memory, a shared page counted in each (an over-estimate,
# cheap). A file's pages mapped from the disk are page cache the kernel drops at will: counted, a program reading a
# large input by mmap (sqlite, git's packs) was stopped as if it held it.
RESIDENT = (b"RssAnon:", b"RssShmem:")
SWITCHES = (b"voluntary_ctxt_switches:", b"nonvoluntary_ctxt_switches:")

# A thread as a look saw it: its id and start (a thread id used again is another thread), state, context switches.
Run = tuple[bytes, ...]


@dataclass(frozen=True)
class Seen:
    """One process at one look."""

    here: str  # where to read its files: /proc/PID, or a live thread's /proc/TID once its main thread has exited
    threads: tuple[str, ...]
    resident: int  # RssAnon + RssShmem, bytes
    runs: tuple[Run, ...]
    children: tuple[int, ...]

    @property
    def quiet(self) -> bool:
        """None of its threads runs or waits to (state R): a thread on a CPU may not have been counted as switched."""
        return all(run[2] != RUNNING for run in self.runs)

    @property
    def live(self) -> set[Run]:
        """Its threads not ended, each by id and start: a zombie's tables are gone, and a change it made to a table
        it shared is found only by walking the sharers again."""
        return {run[:2] for run in self.runs if run[2] not in ENDED}


def seen_process(pid: int) -> Seen:
    """Process ``pid`` now (nothing, once it has ended)."""
    threads = tuple(listed(f"/proc/{pid}/task"))
    runs: list[Run] = []
    statuses: dict[str, bytes] = {}
    children: list[int] = []
    for thread in threads:
        task = f"/proc/{pid}/task/{thread}"
        fields = read_proc(f"{task}/stat").rsplit(b")", 1)[-1].split()  # after the name, which may hold anything
        status = statuses[thread] = read_proc(f"{task}/status")
        switches = [line.split()[1] for line in status.splitlines() if line.startswith(SWITCHES)]
        runs.append((thread.encode(), fields[19] if len(fields) > 19 else b"", fields[0] if fields else b"", *switches))
        children += map(int, read_proc(f"{task}/children").split())
    states = {run[0].decode(): run[2] for run in runs}
    here = str(pid)
    if states.get(here) == b"Z":  # a zombie leader shows nothing of the memory and files its live threads share
        here = next((thread for thread, state in states.items() if state not in ENDED), here)
    return Seen(f"/proc/{here}", threads, sum(resident(statuses.get(here, b""))), tuple(runs), tuple(children))


def resident(status: bytes) -> tuple[int, int]:
    """What a process's ``status`` says it holds resident of its own and of shared memory (RssAnon, RssShmem), bytes."""
    kib = {line.split(b":")[0]: int(line.split()[1]) for line in status.splitlines() if line.startswith(RESIDENT)}
    return kib.get(b"RssAnon", 0) * 1024, kib.get(b"RssShmem", 0) * 1024


def sandbox_processes(root: int) -> dict[int, Seen]:
    """``root`` and every process below it, each once (a thread's children are its process's)."""
    found: dict[int, Seen] = {}
    pending = [root]
    while pending:
        pid = pending.pop()
        found[pid] = seen = seen_process(pid)
        pending.extend(child for child in seen.children if child not in found)
    return found


def read_proc(path: str) -> bytes:
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


def listed(directory: str) -> list[str]:
    try:
        return os.listdir(directory)
    except OSError:  # its process ended meanwhile
        return []
