"""A process that has not run since its last walk is not walked again (perf387): its memfds are sized again by their
links, and a round of looks over a sandbox holding a large idle process is as short as the processes that ran.

A parent of 1,000 descriptors waits for its child (idle); the child holds a memfd of its own, and one of the parent's
too, and on a word drops its own or grows the parent's and closes its descriptor of it. Real bwrap, real processes,
the walk's own API with a slice of 100 entries a look (a whole walk of the parent: more than ten looks)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from orchestra.sandbox import Jail, Limits, detect, kill_group
from orchestra.sandbox_memory import sandbox_pids
from orchestra.sandbox_objects import SharedObjects

MIB = 1024 * 1024

IDLE_PARENT = """
import os, sys
held = [os.open("/dev/null", os.O_RDONLY) for _ in range(1000)]
grown = os.memfd_create("grown")
os.write(grown, b"z" * (1 << 20))
if os.fork() == 0:
    for fd in held:
        os.close(fd)
    dropped = os.memfd_create("dropped")
    os.write(dropped, b"z" * (2 << 20))
    print("ready", flush=True)
    for line in sys.stdin:
        if line == "drop\\n":
            os.close(dropped)
        elif line == "grow\\n":
            os.pwrite(grown, b"z" * (8 << 20), 1 << 20)
            os.close(grown)
        print("done", flush=True)
    os._exit(0)
os.wait()
"""


# An idle process, and another sharing its descriptor table (``clone`` with CLONE_FILES, a sibling: CLONE_PARENT, so
# its end wakes nothing of the first) which, on a word, makes an 8 MiB memfd in the shared table and ends.
SHARED_TABLE = """
import ctypes, os, platform, signal, sys
CLONE_FILES, CLONE_PARENT, SIGCHLD = 0x400, 0x8000, 17
libc = ctypes.CDLL(None, use_errno=True)
number = {"x86_64": 56, "aarch64": 220}[platform.machine()]
if libc.syscall(number, CLONE_FILES | CLONE_PARENT | SIGCHLD, 0, 0, 0, 0) == 0:
    print("ready", flush=True)
    sys.stdin.readline()
    made = os.memfd_create("left-in-the-table")
    os.write(made, b"z" * (8 << 20))
    print("done", flush=True)
    os._exit(0)
signal.pause()
"""


@pytest.fixture(autouse=True)
def _bwrap() -> None:
    sandbox = detect("auto")
    if sandbox.mode != "bwrap":
        pytest.skip(f"no sandbox here: {sandbox.reason}")


@asynccontextmanager
async def _idle_parent(tmp_path: Path, program: str = IDLE_PARENT) -> AsyncIterator[asyncio.subprocess.Process]:
    sandbox = detect("auto")
    sandbox.prepare_workspace(tmp_path)
    jail = Jail(workspace=tmp_path, cwd=tmp_path, limits=Limits(cpu_s=120))
    process = await sandbox.spawn(["/usr/bin/python3", "-c", program], jail, stdin=asyncio.subprocess.PIPE)
    try:
        assert process.stdout is not None
        assert await asyncio.wait_for(process.stdout.readline(), 120) == b"ready\n"
        yield process
    finally:
        kill_group(process)


async def _told(process: asyncio.subprocess.Process, word: bytes) -> None:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(word + b"\n")
    await process.stdin.drain()
    assert await asyncio.wait_for(process.stdout.readline(), 60) == b"done\n"


def _looks_until(objects: SharedObjects, pids: list[int], wanted: list[int], most: int) -> int:
    """How many looks until the memfds found are ``wanted`` (their sizes), at most ``most`` (then one more)."""
    for count in range(1, most + 1):
        if sorted(objects.look(pids).values()) == wanted:
            return count
    return most + 1


def _walked_twice(process: asyncio.subprocess.Process) -> tuple[SharedObjects, list[int]]:
    """The walk of the sandbox of ``process`` (its parent idle, its child waiting), once every process has been walked
    twice at least (the parent's walk taking more than ten looks), and the processes."""
    objects = SharedObjects(entries_per_look=100)
    pids = sandbox_pids(process.pid)
    assert _looks_until(objects, pids, [1 * MIB, 2 * MIB], 60) <= 60
    for _ in range(30):
        objects.look(pids)
    return objects, pids


async def test_a_dropped_memfd_leaves_the_count_within_a_few_looks_beside_an_idle_process(tmp_path: Path) -> None:
    async with _idle_parent(tmp_path) as process:
        objects, pids = _walked_twice(process)
        await _told(process, b"drop")
        # The last round's count holds until a round begun since is done: every round since walks the child alone.
        looks = _looks_until(objects, pids, [1 * MIB], 30)
        assert looks <= 3, f"{looks} looks to see a memfd dropped: the idle parent was walked again"


async def test_a_memfd_an_idle_process_holds_is_sized_again_when_another_grows_it(tmp_path: Path) -> None:
    async with _idle_parent(tmp_path) as process:
        objects, pids = _walked_twice(process)
        await _told(process, b"grow")  # the child writes 8 MiB more into the parent's memfd and closes its own
        looks = _looks_until(objects, pids, [2 * MIB, 9 * MIB], 60)
        assert looks <= 60, "the idle parent's memfd was counted at its size when the parent was last walked"


async def test_a_memfd_left_in_an_idle_processs_table_by_one_that_ended_is_found(tmp_path: Path) -> None:
    async with _idle_parent(tmp_path, SHARED_TABLE) as process:
        objects = SharedObjects(entries_per_look=100)
        pids = sandbox_pids(process.pid)
        for _ in range(30):  # every process walked, and walked again: the idle one is not walked a third time
            objects.look(pids)
        await _told(process, b"make")
        # The maker ends at once: found or not before, the idle process's table must be walked again for it.
        for _ in range(1200):
            if not all(map(_alive, pids)):
                break
            await asyncio.sleep(0.05)
        assert not all(map(_alive, pids)), "the process sharing the table did not end"
        for _ in range(30):
            objects.look(pids)
        looks = _looks_until(objects, pids, [8 * MIB], 30)
        assert looks <= 30, "a memfd made in an idle process's table by a process that ended was never counted"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[-1].split()[0] not in (b"Z", b"X")
    except OSError:
        return False
