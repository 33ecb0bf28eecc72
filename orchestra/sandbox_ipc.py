"""The System V IPC namespace a root worker's sandbox runs in, made small before the program starts.

A new IPC namespace has the machine's defaults, which allow far more kernel memory than any program needs, none of it
mapped or counted by an rlimit: 32,000 arrays of 32,000 semaphores (about 2 MiB each: 64 GiB), 32,000 message queues
of 16 KiB (500 MiB; more with one-byte messages). attack371 held 79 MiB past a 64 MiB total either way. The limits are
the namespace's own (``/proc/sys/kernel/{sem,msgmni,msgmnb,shmmni,shmall}`` as a process in it reads them) and only
its owner's root may write them, which bwrap's read-only ``/proc/sys`` and dropped capabilities keep from the
sandbox. So the worker makes the namespace itself, in a thread of its own that enters it, writes the limits and ends
(its namespace goes with it), and bwrap is started in it (``nsenter``) rather than making one: the limits hold from
the program's first instruction. Shared memory is bounded to the sandbox's total and counted by the watchdog besides.
"""

from __future__ import annotations

import asyncio
import ctypes
import errno
import functools
import os
import signal
import threading

CLONE_NEWIPC = 0x08000000
# semmsl (per array), semmns (in all), semopm, semmni (arrays): 8,000 semaphores of 64 bytes, and the undo records
# of 32 arrays for each process. A database's or a build's few arrays of a few semaphores fit many times over.
SEMAPHORES = "250 8000 32 32"
# 16 queues of 8 KiB (a queue also holds at most as many messages as bytes): a few MiB of kernel memory at most.
MESSAGE_QUEUES = 16
QUEUE_BYTES = 8192
SEGMENTS = 256
ENTER_POLL_S = 0.002


@functools.cache
def libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)  # os.setns and os.unshare are Python 3.12's


def small_namespace(shared_memory_bytes: int) -> int:
    """A new IPC namespace with small limits, as a file descriptor (the caller closes it once a process is in it);
    its System V shared memory bounded to ``shared_memory_bytes`` in all."""
    made: list[int | BaseException] = []
    thread = threading.Thread(target=_make, args=(shared_memory_bytes, made), name="sandbox-ipc")
    thread.start()
    thread.join()
    if isinstance(made[0], BaseException):
        raise made[0]
    return made[0]


def _make(shared_memory_bytes: int, made: list[int | BaseException]) -> None:
    """In a thread that ends after: it leaves the worker's namespace for good, and takes the new one with it."""
    try:
        if libc().unshare(CLONE_NEWIPC) != 0:
            raise OSError(ctypes.get_errno(), "could not make an IPC namespace for the sandbox")
        pages = max(1, shared_memory_bytes // os.sysconf("SC_PAGE_SIZE"))
        limits = {"sem": SEMAPHORES, "msgmni": MESSAGE_QUEUES, "msgmnb": QUEUE_BYTES, "shmmni": SEGMENTS,
                  "shmall": pages, "shmmax": shared_memory_bytes}  # fmt: skip
        for name, value in limits.items():  # the namespace of the thread writing; os-level: a third of open()'s cost
            setting = os.open(f"/proc/sys/kernel/{name}", os.O_WRONLY | os.O_CLOEXEC)
            try:
                os.write(setting, str(value).encode())  # a sysctl takes the whole value in one write
            finally:
                os.close(setting)
        made.append(os.open("/proc/thread-self/ns/ipc", os.O_RDONLY | os.O_CLOEXEC))
    except BaseException as exc:  # handed to the caller's thread
        made.append(exc)


async def entered(namespace: int, process: asyncio.subprocess.Process, within_s: float) -> None:
    """Once ``process`` is in ``namespace`` or has ended: only then may the namespace's descriptor be closed.
    ``nsenter`` is given the namespace by the worker's path to it (``/proc/WORKER/fd/N``) rather than a descriptor of
    its own, which it would leave open to the program (an ``ipc:[...]`` file among its descriptors); that path names
    whatever the worker holds at number N when nsenter opens it, so N must stay this namespace until then. A process
    not in it within ``within_s`` (an exec stalled on a loaded machine) is killed, waited for (dead, it opens nothing
    more) and refused with an error: attack378 F1 had one give up silently, the descriptor closed, and the program
    start later in another sandbox's namespace, which had taken the number meanwhile."""
    wanted = os.fstat(namespace).st_ino
    deadline = asyncio.get_running_loop().time() + within_s
    while process.returncode is None:
        try:
            if os.stat(f"/proc/{process.pid}/ns/ipc").st_ino == wanted:
                return
        except OSError:  # it ended (a zombie has no namespaces)
            return
        if asyncio.get_running_loop().time() >= deadline:
            os.killpg(process.pid, signal.SIGKILL)
            await process.wait()
            raise OSError(
                errno.ETIMEDOUT, f"the sandbox did not enter its IPC namespace within {within_s:g} s (nsenter): refused"
            )
        await asyncio.sleep(ENTER_POLL_S)


async def made_namespace(shared_memory_bytes: int) -> int:
    """:func:`small_namespace` from a thread; cancelled meanwhile, the descriptor the thread still makes is closed
    (attack378 F10: each cancelled spawn kept one open, and its namespace alive, for the worker's life)."""
    making = asyncio.ensure_future(asyncio.to_thread(small_namespace, shared_memory_bytes))
    try:
        return await asyncio.shield(making)
    except asyncio.CancelledError:
        making.add_done_callback(_close_made)
        raise


def _close_made(making: asyncio.Future[int]) -> None:
    if not making.cancelled() and making.exception() is None:
        os.close(making.result())
