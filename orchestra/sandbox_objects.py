"""The memfds a sandbox's processes hold, each once, whoever holds it and however: by a descriptor
(``/proc/PID/fd``), by a mapping only, its descriptor closed (``/proc/PID/maps``, sized through
``/proc/PID/map_files``), or as the program a process runs (``/proc/PID/exe``, an ``fexecve``'d one).

A memfd's pages are counted by its allocated size, once, by (device, inode): a page a process maps and has touched
is in its Pss_Shmem too, which the weighed count takes out again mapping by mapping (:func:`mapped_share`). Counted
by mapping instead, a memfd mapped one page untouched was missed whole (attack371 F1, F2), and one a parent held
unmapped while its child mapped it was counted twice (F4).

The walk is bounded: each look reads at most ``ENTRIES_PER_LOOK`` entries (a descriptor's link, a line of maps),
carrying on where the last look stopped, so a sandbox of 256 processes of 1,024 descriptors and 65,530 mappings each
costs each look the same as a small one, and one hostile sandbox cannot hold the watchdogs' threads (shared by every
sandbox) for long. What the last whole round found counts until the next is done. A process that cannot have changed
its descriptors or mappings since its last walk (none of its threads ran since, nor any of the sandbox's ended:
sandbox_processes.py) is not walked again: the memfds that walk found are sized again by their links, so an idle
program (an MCP server between calls) costs a look a few short reads.
"""

from __future__ import annotations

import contextlib
import os
import platform
import threading
from collections.abc import Generator
from dataclasses import dataclass, field
from itertools import islice

from orchestra.sandbox_ipc import libc
from orchestra.sandbox_processes import Run, Seen, listed, read_proc, seen_process

MEMFD = b"/memfd:"
SYSTEM_V = b"/SYSV"
# Entries read a look, at most: a sandbox has a few hundred, and may have a quarter million descriptors and
# sixteen million mappings.
ENTRIES_PER_LOOK = 2048
# Lines of smaps read a weighing, at most (about 25 a mapping): past it, the rest of the processes' shared memory is
# all taken out again (mapped_share), which counts less, never more, and so stops no program under its total.
SMAPS_LINES_PER_WEIGHING = 200_000

Key = tuple[int, int]  # a memfd's (device, inode)


class SharedObjects:
    """The memfds a sandbox's processes hold, found ``entries_per_look`` entries a look."""

    def __init__(self, entries_per_look: int = ENTRIES_PER_LOOK) -> None:
        self._budget = entries_per_look
        self._walk: Generator[int, int, None] | None = None
        self._round: dict[Key, int] = {}  # this round's: (device, inode) -> allocated bytes
        self._last: dict[Key, int] = {}  # the last whole round's
        # The bytes of memfds held at once by one round's count: the last whole round's or this one's so far, the
        # larger. Their union (the look's answer) counts a memfd replaced while the round spans looks twice, the
        # freed one in the last round and its successor in this (attack378 F2): a stop is decided on this.
        self.held_at_once = 0
        self._seen: dict[int, Seen] = {}  # the latest look's reading of each process
        self._walked: dict[int, Walked] = {}  # what each process's last walk found
        self._tasks: set[Run] = set()  # every thread the latest look saw
        # Counts the looks that found a thread of the look before ended (or a zombie): one sharing a table (``clone`` with
        # CLONE_FILES or CLONE_VM, no thread of the others') may have changed it, and taken its trace with it.
        self._ends = 0
        # Looks run in threads, and a cancelled watch closes while its last look may still walk.
        self._lock = threading.Lock()

    def look(self, pids: list[int], seen: dict[int, Seen] | None = None) -> dict[Key, int]:
        """Each memfd (by device and inode) and the bytes it has allocated (one only truncated holds none). ``seen``:
        this look's reading of the processes (sandbox_processes.py), read here without it."""
        with self._lock:
            return self._look(pids, {pid: seen_process(pid) for pid in pids} if seen is None else seen)

    def _look(self, pids: list[int], seen: dict[int, Seen]) -> dict[Key, int]:
        tasks = {task for process in seen.values() for task in process.live}
        if self._tasks - tasks:
            self._ends += 1
        self._seen, self._tasks = seen, tasks
        budget = self._budget
        while budget > 0:
            if self._walk is None:
                self._walk = self._walk_round(pids)
                next(self._walk)  # to where it takes its first budget
            try:
                budget -= self._walk.send(budget)
            except StopIteration:  # the round is done
                self._last, self._round, self._walk = self._round, {}, None
                self._walked = {pid: walked for pid, walked in self._walked.items() if pid in seen}
                break
        self.held_at_once = max(sum(self._last.values()), sum(self._round.values()))
        return {**self._last, **self._round}

    def close(self) -> None:
        with self._lock:
            if self._walk is not None:
                self._walk.close()  # closes a maps file it holds open
                self._walk = None

    def _walk_round(self, pids: list[int]) -> Generator[int, int, None]:
        """Yields how many entries it read, and is sent how many it may read next; a process ended meanwhile gives
        none. A process that cannot have changed since its last walk is not walked again: what it held then is
        sized again, by the same links."""
        budget = yield 0
        for pid in pids:
            process = self._seen.get(pid) or seen_process(pid)
            walked = self._walked.get(pid)
            if walked is not None and walked.still(process, self._ends) and self._sized_again(walked):
                budget = yield 1
                continue
            found = self._walked[pid] = Walked(process.runs, self._ends)
            here = process.here
            self._found(f"{here}/exe", found)
            budget = yield 1
            for table in _fd_tables(pid, here, process.threads):
                for fd in _descriptors(table):
                    self._found(f"{table}/fd/{fd}", found)
                    budget = yield 1
            with contextlib.suppress(OSError), open(f"{here}/maps", "rb") as maps:
                while lines := list(islice(maps, budget)):  # read in C: a few hundred lines a process
                    for line in lines:
                        fields = line.split(maxsplit=5) if MEMFD in line else ()
                        if len(fields) == 6 and fields[5].startswith(MEMFD):
                            start, end = (int(address, 16) for address in fields[0].split(b"-"))
                            self._sized(f"{here}/map_files/{start:x}-{end:x}", found)  # root's only
                    budget = yield len(lines)

    def _found(self, link: str, walked: Walked) -> None:
        with contextlib.suppress(OSError):
            if os.readlink(link).encode().startswith(MEMFD):
                self._sized(link, walked)

    def _sized(self, link: str, walked: Walked) -> None:
        with contextlib.suppress(OSError):
            found = os.stat(link)
            key = walked.links[link] = (found.st_dev, found.st_ino)
            self._round[key] = found.st_blocks * 512

    def _sized_again(self, walked: Walked) -> bool:
        """Each memfd ``walked`` found, by the link it was found by (its size may have changed: another process
        may write it); False once a link names another file or none (then the process is walked again)."""
        for link, key in walked.links.items():
            try:
                found = os.stat(link)
            except OSError:
                return False
            if (found.st_dev, found.st_ino) != key:
                return False
            self._round[key] = found.st_blocks * 512
        return True


@dataclass
class Walked:
    """What one walk of a process found (each memfd by the link it was found by), and the process as it was before."""

    runs: tuple[Run, ...]
    ends: int
    links: dict[str, Key] = field(default_factory=dict)

    def still(self, process: Seen, ends: int) -> bool:
        """Whether nothing can have changed its descriptors or mappings since: no thread ran, none started or ended,
        and no thread of the sandbox ended (sandbox_processes.py)."""
        return process.quiet and process.runs == self.runs and ends == self.ends


def _fd_tables(pid: int, here: str, threads: tuple[str, ...]) -> list[str]:
    """The process's descriptor table, and each of a thread that has one of its own (``unshare(CLONE_FILES)``, or a
    ``clone`` without CLONE_FILES): ``/proc/PID/fd`` lists the main thread's only, and three memfds of 40 MiB in a
    thread's own table were never seen (attack378 F11). Told apart by ``kcmp``, a system call: no file read."""
    tables = [here]
    for thread in threads:
        if f"/proc/{thread}" != here and not _same_files(int(here.rsplit("/", 1)[1]), int(thread)):
            tables.append(f"/proc/{thread}")
    return tables


KCMP = {"x86_64": 312, "aarch64": 272}.get(platform.machine())
KCMP_FILES = 2


def _same_files(pid: int, thread: int) -> bool:
    """Whether two tasks share one descriptor table; not known (no kcmp here, or refused) counts as not."""
    return KCMP is not None and libc().syscall(KCMP, pid, thread, KCMP_FILES, 0, 0) == 0


def process_dir(pid: int) -> str:
    """Where to read process ``pid``'s memory and files: ``/proc/PID``, or, once its main thread has exited alone
    (``syscall(SYS_exit)``: a zombie leader, whose own files show no mappings, no descriptors and no resident memory
    though its other threads hold them all, attack378 F13), a live thread's ``/proc/TID``: the threads share them."""
    here = f"/proc/{pid}"
    if _state(here) != b"Z":
        return here
    for thread in listed(f"{here}/task"):
        if thread != str(pid) and _state(f"/proc/{thread}") not in (b"Z", b"X", b""):
            return f"/proc/{thread}"
    return here


def _state(directory: str) -> bytes:
    """A task's state letter (``stat``'s third field: after the name, which may hold anything but ends at the last
    parenthesis); nothing once it has ended."""
    fields = read_proc(f"{directory}/stat").rsplit(b")", 1)[-1].split()
    return fields[0] if fields else b""


class Hidden(Exception):
    """A live process of the sandbox whose descriptors the worker may not list (attack395 F6). A process that is not
    dumpable (``prctl(PR_SET_DUMPABLE, 0)``, or running a program it may not read: no system call to refuse) has its
    ``/proc/PID/fd`` owned by its user namespace's root, which a worker that is not root is not: refused, it was taken
    for a process that had ended, and memfds of up to RLIMIT_FSIZE times its descriptors went uncounted. Nothing cheaper
    than those rlimits bounds what it holds, far past any total: the watchdog stops its sandbox instead."""

    def __init__(self, table: str) -> None:
        name = read_proc(f"{table}/comm").decode(errors="replace").strip()
        super().__init__(
            f"its process {name!r} hid its open files from the worker's watchdog (not dumpable: "
            "prctl(PR_SET_DUMPABLE, 0), or a program it may not read), so what it holds cannot be counted: stopped"
        )


def _descriptors(table: str) -> list[str]:
    """The descriptors in a table (``/proc/PID``'s or a thread's): none once its process has ended. Refused while it
    lives (a root worker never is): :class:`Hidden`."""
    try:
        return os.listdir(f"{table}/fd")
    except PermissionError:
        if _state(table) in (b"Z", b"X", b"") or not _workers(table):
            return []  # ended, or its number taken since by another user's process
        raise Hidden(table) from None
    except OSError:  # its process ended meanwhile
        return []


def _workers(table: str) -> bool:
    """Whether the process runs as the worker's uid, as a sandbox's does when the worker is not root."""
    try:
        return os.stat(table).st_uid == os.geteuid()
    except OSError:
        return False


def mapped_share(shared: dict[int, int], counted_whole: int) -> int:
    """What of the processes' shared memory (``shared``: each process's Pss_Shmem, those with any) is pages of memfds
    and System V segments (counted whole besides, ``counted_whole`` bytes in all), read from their ``smaps`` (a
    mapping's Pss: its touched pages, divided among the processes mapping them). Past ``SMAPS_LINES_PER_WEIGHING``
    lines, ended since, or run while read, the processes not read whole count all their shared memory as such, up to
    ``counted_whole``: the weighing is then a lower bound, and stops only a sandbox over even by it. Counted as not
    such instead, a program of 9,000 mappings and one mapped memfd was stopped under its total (attack378 F5); and,
    read while it added mappings, its smaps ran to the end without its memfd's mapping, there all along, and its 40 MiB
    counted twice (fix403: Linux 6.18, 10 of 6,680 reads; smaps is read a page of text at a time, each taking up again
    by address, so a mapping moved across that address between two is missed by any kernel). A process none of whose
    threads runs before the read, nor ran by its end (sandbox_processes.py), changed no mapping; one running is not
    read (a hostile program may keep a thread running to that end, as it may put 9,000 mappings first)."""
    share = 0
    lines = 0
    for pid, most in shared.items():
        before = seen_process(pid)
        if not (before.runs and before.quiet):  # ended, or running: it may change its mappings as they are read
            share += most
            continue
        own = 0
        read = lines
        ended = False  # the read reached the file's end: an error part way (the process ending) leaves it unread
        with contextlib.suppress(OSError), open(f"{before.here}/smaps", "rb") as smaps:
            counted = False
            for line in smaps:
                lines += 1
                if lines > SMAPS_LINES_PER_WEIGHING:
                    break
                if line.startswith(b"Pss:"):
                    own += int(line.split()[1]) * 1024 if counted else 0
                elif not line[:1].isupper():  # a mapping's first line (its address), not one of its fields
                    fields = line.split(maxsplit=5)
                    counted = len(fields) == 6 and fields[5].startswith((MEMFD, SYSTEM_V))
            else:
                ended = True
        # Not read whole (past the lines, it ended since its rollup: a zombie's smaps is empty, or it may have changed
        # its mappings during the read, and a mapping there throughout may be missing from it): all of it.
        whole = ended and read < lines <= SMAPS_LINES_PER_WEIGHING and seen_process(pid).runs == before.runs
        share += min(own, most) if whole else most
    # Never more than the memfds and segments counted whole: the pages taken out are theirs, and shared anonymous or
    # tmpfs memory of a process not read whole is counted nowhere else (attack384: 200 MiB of it behind 9,000
    # mappings, uncounted).
    return min(share, counted_whole)
