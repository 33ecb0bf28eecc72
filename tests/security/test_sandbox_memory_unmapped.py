"""Memory a sandbox holds that no process maps counts toward ORCHESTRA_SANDBOX_MEMORY_TOTAL_MB: memfds held by a file
descriptor only, and System V shared memory segments left detached (attack339/attack361: 3 memfds of 80 MiB and an
80 MiB ``shmget`` segment were not seen by the watchdog, which counted mapped pages only). Mapped ones are not counted
twice (they are in the processes' shared memory already). Real programs in real bwrap; small sizes (the machine is
shared)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from orchestra.sandbox import Jail, Limits, detect, kill_group
from orchestra.sandbox_memory import sandbox_pids, watch
from orchestra.sandbox_objects import Hidden, SharedObjects

MIB = 1024 * 1024
TOTAL = 64 * MIB
# Far longer than the watchdog takes: a program that holds its memory this long was not stopped.
HOLD_S = "30"

# COUNT memfds of MIB MiB each (truncated to their size, then written), held open; mapped and read too if asked.
MEMFDS = """
import mmap, os, sys, time
count, mib, mapped, hold_s = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "mapped", float(sys.argv[4])
held = []
for i in range(count):
    fd = os.memfd_create(f"held-{i}")
    os.ftruncate(fd, mib << 20)
    for _ in range(mib):
        os.write(fd, b"z" * (1 << 20))
    held.append(fd)
    if mapped:
        view = mmap.mmap(fd, mib << 20)
        assert sum(view[i] for i in range(0, len(view), 4096)) > 0
        held.append(view)
print("held", flush=True)
time.sleep(hold_s)
"""

# COUNT System V segments of MIB MiB (shmget), each filled through an attachment, then detached unless asked to stay
# (one at a time: attached, each is under the total, which a look during the fill would see otherwise).
SEGMENTS = """
import ctypes, sys, time
count, mib, attached, hold_s = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "attached", float(sys.argv[4])
libc = ctypes.CDLL(None, use_errno=True)
libc.shmget.argtypes = [ctypes.c_int, ctypes.c_size_t, ctypes.c_int]
libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
libc.shmat.restype = ctypes.c_void_p
libc.shmdt.argtypes = [ctypes.c_void_p]
size = mib << 20
for _ in range(count):
    segment = libc.shmget(0, size, 0o1000 | 0o600)  # IPC_PRIVATE, IPC_CREAT
    assert segment >= 0, ctypes.get_errno()
    address = libc.shmat(segment, None, 0)
    assert address not in (None, ctypes.c_void_p(-1).value), ctypes.get_errno()
    ctypes.memset(address, 1, size)
    if not attached:
        assert libc.shmdt(address) == 0
print("held", flush=True)
time.sleep(hold_s)
"""


@pytest.fixture(autouse=True)
def _bwrap() -> None:
    sandbox = detect("auto")
    if sandbox.mode != "bwrap":
        pytest.skip(f"no sandbox here: {sandbox.reason}")


async def _watched(tmp_path: Path, program: str, *args: str) -> tuple[int | None, int | None]:
    """What the watchdog stopped the program at (None: it did not), and the program's exit status."""
    sandbox = detect("auto")
    sandbox.prepare_workspace(tmp_path)
    jail = Jail(workspace=tmp_path, cwd=tmp_path, limits=Limits(cpu_s=120))
    process = await sandbox.spawn(["/usr/bin/python3", "-c", program, *args], jail)
    try:
        watchdog = asyncio.ensure_future(watch(process, TOTAL))
        out, err = await asyncio.wait_for(process.communicate(), 120)
        held = await asyncio.wait_for(watchdog, 30)
        assert held is not None or out.strip() == b"held", (out, err)
        assert not isinstance(held, Hidden), held  # a root worker reads every process
        return held, process.returncode
    finally:
        kill_group(process)


async def test_memfds_held_by_descriptor_only_are_counted(tmp_path: Path) -> None:
    held, _ = await _watched(tmp_path, MEMFDS, "3", "40", "unmapped", HOLD_S)
    assert held is not None and held > TOTAL, "three memfds of 40 MiB, under a 64 MiB total, were not stopped"


async def test_mapped_memfds_are_not_counted_twice(tmp_path: Path) -> None:
    # 48 MiB in a memfd, mapped and read: once in the process's shared memory, once as the memfd's own size.
    held, status = await _watched(tmp_path, MEMFDS, "1", "48", "mapped", "2")
    assert held is None and status == 0, (held, status)


def _segments_seen() -> None:
    if not detect("auto").privileged:
        pytest.skip("a worker that is not root cannot enter the sandbox's IPC namespace (docs/security.md)")


async def test_a_detached_system_v_segment_is_counted(tmp_path: Path) -> None:
    _segments_seen()
    held, _ = await _watched(tmp_path, SEGMENTS, "2", "40", "detached", HOLD_S)
    assert held is not None and held > TOTAL, "two detached segments of 40 MiB, under a 64 MiB total, were not stopped"


async def test_an_attached_segment_is_not_counted_twice(tmp_path: Path) -> None:
    _segments_seen()
    held, status = await _watched(tmp_path, SEGMENTS, "1", "48", "attached", "2")
    assert held is None and status == 0, (held, status)


# Opens COUNT descriptors of /dev/null, then one memfd of MIB MiB, written.
MANY_FILES = """
import os, sys, time
count, mib = int(sys.argv[1]), int(sys.argv[2])
held = [os.open("/dev/null", os.O_RDONLY) for _ in range(count)]
memfd = os.memfd_create("behind-many")
os.write(memfd, b"z" * (mib << 20))
print("held", flush=True)
time.sleep(60)
"""


async def test_a_memfd_behind_many_descriptors_is_found_a_slice_at_a_time(tmp_path: Path) -> None:
    # Each look reads a bounded slice of the descriptors: a memfd past the first slice is found within one round.
    sandbox = detect("auto")
    sandbox.prepare_workspace(tmp_path)
    jail = Jail(workspace=tmp_path, cwd=tmp_path, limits=Limits(cpu_s=120))
    process = await sandbox.spawn(["/usr/bin/python3", "-c", MANY_FILES, "1000", "8"], jail)
    try:
        assert process.stdout is not None
        assert await asyncio.wait_for(process.stdout.readline(), 120) == b"held\n"
        objects = SharedObjects(entries_per_look=300)
        pids = sandbox_pids(process.pid)
        looks = [objects.look(pids) for _ in range(8)]  # 1,000 descriptors and a few, and the maps: 5 slices a round
        assert not looks[0], "the first slice holds /dev/null only"
        assert [sorted(found.values()) for found in looks[4:]] == [[8 * MIB]] * 4, looks
    finally:
        kill_group(process)
