"""A weighing takes a mapped memfd's pages out of a process's shared memory once, even when its ``smaps`` is read
while the process changes its mappings (fix403). A read that ran to the end without the memfd's mapping counted its
pages both in the process's Pss and as the memfd's size: under load, a program adding mappings
(test_sandbox_memory_weighed_truly's 9,000) was intermittently stopped under its total so, its memfd's mapping missed
though it never moved (Linux 6.18).

Forced here, as any kernel reads smaps: a page of text at a time, each taking up again by address. A real process moves
its 40 MiB mapped memfd between two places with 2,000 mappings between them, without end, while the weighing's own
reader reads its smaps: a read finds it in neither place about one time in three. And the kernel's smaps_rollup, summed
the same way, found it in both in about one in twenty: weighed at 80 MiB and more, stopped under its total."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from orchestra.sandbox_memory import Unmapped, held_weighed
from orchestra.sandbox_objects import mapped_share

MIB = 1024 * 1024
READS = 40
# The sandbox total it holds under: 40 MiB of memfd and an interpreter's own few.
TOTAL = 64 * MIB

# A memfd of 40 MiB, touched, mapped above MAPPINGS small mappings; then moved (mremap) below them and back, forever.
MOVER = """
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = libc.mremap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
libc.mremap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_size_t, ctypes.c_int, ctypes.c_void_p]
size = 40 << 20
high = libc.mmap(None, size, 0, 0x22, -1, 0)  # PROT_NONE places, MAP_PRIVATE | MAP_ANONYMOUS
for i in range(int(sys.argv[1])):
    libc.mmap(None, 4096, 1 if i % 2 else 3, 0x22, -1, 0)
low = libc.mmap(None, size, 0, 0x22, -1, 0)
fd = os.memfd_create("moved")
os.ftruncate(fd, size)
at = libc.mmap(high, size, 3, 0x11, fd, 0)  # MAP_SHARED | MAP_FIXED
ctypes.memset(at, 1, size)
print("moving", flush=True)
while True:
    at = libc.mremap(at, size, size, 3, low if at == high else high)  # MREMAP_MAYMOVE | MREMAP_FIXED
"""


@pytest.fixture
def mover() -> Iterator[int]:
    process = subprocess.Popen([sys.executable, "-c", MOVER, "2000"], stdout=subprocess.PIPE)
    try:
        assert process.stdout is not None and process.stdout.readline() == b"moving\n"
        yield process.pid
    finally:
        process.kill()
        process.wait()


def test_a_mapped_memfd_moved_during_the_read_is_taken_out_once(mover: int) -> None:
    # Its shared memory is the memfd's 40 MiB, counted whole besides: all of it is the memfd's, at every read.
    taken_out = [mapped_share({mover: 40 * MIB}, 40 * MIB) for _ in range(READS)]
    assert taken_out == [40 * MIB] * READS, [size // MIB for size in taken_out]


def test_a_mapping_moved_during_the_rollup_is_weighed_once(mover: int) -> None:
    unmapped = Unmapped()
    try:
        weighed = [held_weighed([mover], unmapped) for _ in range(READS * 5)]
    finally:
        unmapped.close()
    assert max(weighed) <= TOTAL, [size // MIB for size in weighed if size > TOTAL]
