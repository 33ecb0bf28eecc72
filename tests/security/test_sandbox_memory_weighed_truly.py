"""The sandbox watchdog counts what a program holds however it holds it, and stops only a program over its total on
a weighing that is complete (attack378). Hidden: a process whose main thread has exited alone shows no memory in
``/proc/PID``'s files (F13). Innocent, and stopped before: a program replacing a memfd while the walk's round spans
several looks (F2), one whose mappings pass the smaps lines a weighing reads (F5), a child mapping a counted memfd
after the round began (F8). Hidden too: memfds in a thread's own descriptor table (F11), and (attack384) shared
anonymous memory of a process whose smaps a weighing does not read whole. Real programs in real bwrap; small sizes
(the machine is shared)."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.sandbox import detect
from tests.security.test_sandbox_memory_unmapped import TOTAL, _watched

# A thread holds 150 MiB written; the main thread ends alone (SYS_exit, not exit_group): the leader is a zombie.
ZOMBIE_LEADER = """
import ctypes, os, threading, time
def hold():
    time.sleep(1)  # the main thread has ended by then
    data = bytearray(150 << 20)
    for offset in range(0, len(data), 4096):
        data[offset] = 1
    print("held", flush=True)
    time.sleep(30)
    os._exit(0)
threading.Thread(target=hold).start()
ctypes.CDLL(None).syscall(60, 0)
"""

# A thread with a descriptor table of its own (unshare(CLONE_FILES)) holds 3 memfds of 40 MiB, written, unmapped.
THREAD_OWN_FILES = """
import ctypes, os, threading, time
def hold():
    assert ctypes.CDLL(None, use_errno=True).unshare(0x400) == 0  # CLONE_FILES
    fds = [os.memfd_create(f"thread-{i}") for i in range(3)]
    for fd in fds:
        for _ in range(40):
            os.write(fd, b"z" * (1 << 20))
    time.sleep(30)
    print("held", flush=True)
thread = threading.Thread(target=hold)
thread.start()
thread.join()
"""

# ONE 40 MiB memfd at a time, replaced every 0.2 s for SECONDS, beside MAPPINGS small mappings (a large program's
# libraries and stacks) that make the walk's round span looks.
REPLACED_MEMFD = """
import mmap, os, sys, time
mappings, seconds = int(sys.argv[1]), float(sys.argv[2])
views = [mmap.mmap(-1, 4096, flags=mmap.MAP_PRIVATE, prot=mmap.PROT_READ | (i % 2) * mmap.PROT_WRITE)
         for i in range(mappings)]
fd = None
end = time.monotonic() + seconds
while time.monotonic() < end:
    if fd is not None:
        os.close(fd)
    fd = os.memfd_create("buffer")
    for _ in range(40):
        os.write(fd, b"z" * (1 << 20))
    time.sleep(0.2)
print("held", flush=True)
"""

# One 40 MiB memfd mapped and touched, then MAPPINGS one-page mappings below it (before it in smaps).
MAPPED_BEHIND_MANY = """
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
fd = os.memfd_create("buffer")
os.ftruncate(fd, 40 << 20)
address = libc.mmap(None, 40 << 20, 3, 1, fd, 0)
ctypes.memset(address, 1, 40 << 20)
for i in range(int(sys.argv[1])):
    libc.mmap(None, 4096, 1 if i % 2 else 3, 0x22, -1, 0)
time.sleep(10)
print("held", flush=True)
"""

# The parent (MAPPINGS small mappings) holds a 40 MiB memfd unmapped; a child forked 3 s in maps it, touches it and
# closes its own descriptor: 40 MiB held once.
LATE_MAPPER = """
import ctypes, mmap, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
views = [mmap.mmap(-1, 4096, flags=mmap.MAP_PRIVATE, prot=mmap.PROT_READ | (i % 2) * mmap.PROT_WRITE)
         for i in range(int(sys.argv[1]))]
fd = os.memfd_create("shared")
for _ in range(40):
    os.write(fd, b"z" * (1 << 20))
time.sleep(3)
if os.fork() == 0:
    address = libc.mmap(None, 40 << 20, 3, 1, fd, 0)
    os.close(fd)
    ctypes.memset(address, 1, 40 << 20)
    time.sleep(6)
    os._exit(0)
os.wait()
print("held", flush=True)
"""

# Hostile: MAPPINGS small mappings (past the smaps lines a weighing reads), then 100 MiB of shared anonymous memory,
# written and held: no memfd, no segment, so none of its shared memory may be taken out as theirs (attack384 N1).
SHARED_BEHIND_MANY = """
import mmap, sys, time
views = [mmap.mmap(-1, 4096, flags=mmap.MAP_PRIVATE, prot=mmap.PROT_READ | (i % 2) * mmap.PROT_WRITE)
         for i in range(int(sys.argv[1]))]
shared = mmap.mmap(-1, 100 << 20, flags=mmap.MAP_SHARED)
for offset in range(0, 100 << 20, 4096):
    shared[offset] = 1
time.sleep(10)
print("held", flush=True)
"""


@pytest.fixture(autouse=True)
def _bwrap() -> None:
    sandbox = detect("auto")
    if sandbox.mode != "bwrap":
        pytest.skip(f"no sandbox here: {sandbox.reason}")


async def test_memory_of_a_process_whose_main_thread_exited_is_counted(tmp_path: Path) -> None:
    held, _ = await _watched(tmp_path, ZOMBIE_LEADER)
    assert held is not None and held > TOTAL, "150 MiB held by a zombie leader's thread was not stopped"


async def test_a_memfd_replaced_while_a_round_spans_looks_counts_once(tmp_path: Path) -> None:
    held, status = await _watched(tmp_path, REPLACED_MEMFD, "5000", "10")
    assert held is None and status == 0, (held, status)


async def test_a_mapped_memfd_behind_many_mappings_counts_once(tmp_path: Path) -> None:
    held, status = await _watched(tmp_path, MAPPED_BEHIND_MANY, "9000")
    assert held is None and status == 0, (held, status)


async def test_a_child_mapping_a_memfd_after_the_round_began_counts_it_once(tmp_path: Path) -> None:
    held, status = await _watched(tmp_path, LATE_MAPPER, "6000")
    assert held is None and status == 0, (held, status)


async def test_memfds_in_a_threads_own_descriptor_table_are_counted(tmp_path: Path) -> None:
    held, _ = await _watched(tmp_path, THREAD_OWN_FILES)
    assert held is not None and held > TOTAL, "120 MiB of memfds in a thread's own descriptor table was not stopped"


async def test_shared_anonymous_memory_behind_many_mappings_is_counted(tmp_path: Path) -> None:
    held, _ = await _watched(tmp_path, SHARED_BEHIND_MANY, "9000")
    assert held is not None and held > TOTAL, "100 MiB of shared anonymous memory behind 9,000 mappings was not stopped"
