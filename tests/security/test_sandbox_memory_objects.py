"""Each memfd and System V segment a sandbox holds counts once, by its size, however it is held (attack371): one
mapped a page untouched (F1), held by a mapping only (F2), or held by one process and mapped by another (F4); and the
walk that finds them reads a bounded number of entries a look (F5). Real programs in real bwrap; small sizes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from orchestra.sandbox import Jail, Limits, detect, kill_group
from orchestra.sandbox_memory import sandbox_pids, watch
from orchestra.sandbox_objects import Hidden

MIB = 1024 * 1024
TOTAL = 64 * MIB

# Maps a page of a descriptor by libc (Python's mmap keeps a copy of the descriptor, which is then a holder too).
MAP_PAGE = """
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
def map_page(fd, size=4096):
    address = libc.mmap(None, size, 3, 1, fd, 0)  # PROT_READ | PROT_WRITE, MAP_SHARED
    assert address not in (None, ctypes.c_void_p(-1).value), ctypes.get_errno()
    return address
"""

# COUNT memfds of 40 MiB, written (not mapped), then each mapped one page never touched; the descriptor kept or closed.
ONE_PAGE = (
    MAP_PAGE
    + """
import os, sys, time
count, keep = int(sys.argv[1]), sys.argv[2] == "kept"
for i in range(count):
    fd = os.memfd_create(f"one-page-{i}")
    for _ in range(40):
        os.write(fd, b"z" * (1 << 20))
    map_page(fd)
    if not keep:
        os.close(fd)
print("held", flush=True)
time.sleep(float(sys.argv[3]))
"""
)

# Two System V segments of 40 MiB, filled through an attachment, detached, attached again and never touched.
REATTACHED = """
import ctypes, sys, time
libc = ctypes.CDLL(None, use_errno=True)
libc.shmget.argtypes = [ctypes.c_int, ctypes.c_size_t, ctypes.c_int]
libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
libc.shmat.restype = ctypes.c_void_p
libc.shmdt.argtypes = [ctypes.c_void_p]
for _ in range(2):
    segment = libc.shmget(0, 40 << 20, 0o1000 | 0o600)
    assert segment >= 0, ctypes.get_errno()
    address = libc.shmat(segment, None, 0)
    ctypes.memset(address, 1, 40 << 20)
    assert libc.shmdt(address) == 0
    libc.shmat(segment, None, 0)
print("held", flush=True)
time.sleep(30)
"""

# A parent holds a 40 MiB memfd by its descriptor, unmapped; its child maps it whole, touches it and closes its own
# descriptor: 40 MiB held, once.
SHARED_WITH_CHILD = (
    MAP_PAGE
    + """
import os, sys, time
fd = os.memfd_create("shared")
for _ in range(40):
    os.write(fd, b"z" * (1 << 20))
if os.fork() == 0:
    address = map_page(fd, 40 << 20)
    os.close(fd)
    ctypes.memset(address, 1, 40 << 20)
    print("held", flush=True)
    time.sleep(3)
    os._exit(0)
os.wait()
"""
)

# An 8 MiB memfd held by a mapping, then COUNT anonymous mappings of a page each (alternately writable: none merge),
# which the kernel places below it, and so before it in ``maps``.
MANY_MAPPINGS = (
    MAP_PAGE
    + """
import mmap, os, sys, time
fd = os.memfd_create("behind-many-mappings")
os.write(fd, b"z" * (8 << 20))
map_page(fd)
os.close(fd)
views = [mmap.mmap(-1, 4096, flags=mmap.MAP_PRIVATE, prot=mmap.PROT_READ | (i % 2) * mmap.PROT_WRITE)
          for i in range(int(sys.argv[1]))]
print("held", flush=True)
time.sleep(60)
"""
)


@pytest.fixture(autouse=True)
def _bwrap() -> None:
    sandbox = detect("auto")
    if sandbox.mode != "bwrap":
        pytest.skip(f"no sandbox here: {sandbox.reason}")


def _root_worker() -> None:
    if not detect("auto").privileged:
        pytest.skip("a worker that is not root can size no memfd held by a mapping only, enter no IPC namespace")


@asynccontextmanager
async def _running(tmp_path: Path, program: str, *args: str) -> AsyncIterator[asyncio.subprocess.Process]:
    sandbox = detect("auto")
    sandbox.prepare_workspace(tmp_path)
    jail = Jail(workspace=tmp_path, cwd=tmp_path, limits=Limits(cpu_s=120))
    process = await sandbox.spawn(["/usr/bin/python3", "-c", program, *args], jail)
    try:
        yield process
    finally:
        kill_group(process)


async def _watched(tmp_path: Path, program: str, *args: str) -> tuple[int | None, int | None]:
    """What the watchdog stopped the program at (None: it did not), and the program's exit status."""
    async with _running(tmp_path, program, *args) as process:
        watchdog = asyncio.ensure_future(watch(process, TOTAL))
        out, err = await asyncio.wait_for(process.communicate(), 120)
        held = await asyncio.wait_for(watchdog, 30)
        assert held is not None or out.strip() == b"held", (out, err)
        assert not isinstance(held, Hidden), held  # a root worker reads every process
        return held, process.returncode


async def test_a_memfd_mapped_one_untouched_page_counts_whole(tmp_path: Path) -> None:
    held, _ = await _watched(tmp_path, ONE_PAGE, "3", "kept", "30")
    assert held is not None and held > TOTAL, "three memfds of 40 MiB, a page of each mapped, were not stopped"


async def test_a_segment_attached_untouched_counts_whole(tmp_path: Path) -> None:
    _root_worker()
    held, _ = await _watched(tmp_path, REATTACHED)
    assert held is not None and held > TOTAL, "two segments of 40 MiB, attached untouched, were not stopped"


async def test_a_memfd_held_by_a_mapping_only_is_counted(tmp_path: Path) -> None:
    _root_worker()
    held, _ = await _watched(tmp_path, ONE_PAGE, "3", "closed", "30")
    assert held is not None and held > TOTAL, "three memfds of 40 MiB held by a page's mapping were not stopped"


async def test_a_memfd_one_process_holds_and_another_maps_counts_once(tmp_path: Path) -> None:
    held, status = await _watched(tmp_path, SHARED_WITH_CHILD)
    assert held is None and status == 0, (held, status)


async def test_a_look_reads_a_bounded_slice_of_many_mappings(tmp_path: Path) -> None:
    _root_worker()
    from orchestra.sandbox_objects import SharedObjects

    async with _running(tmp_path, MANY_MAPPINGS, "5000") as process:
        assert process.stdout is not None
        assert await asyncio.wait_for(process.stdout.readline(), 120) == b"held\n"
        objects = SharedObjects(entries_per_look=1000)
        pids = sandbox_pids(process.pid)
        looks = [objects.look(pids) for _ in range(30)]  # 5,000 mappings and a few hundred more: a round in 6 looks
        assert not looks[0], "the first look read past 1,000 entries"
        found = [index for index, look in enumerate(looks) if sorted(look.values()) == [8 * MIB]]
        assert found and found[0] >= 4 and found == list(range(found[0], 30)), looks
