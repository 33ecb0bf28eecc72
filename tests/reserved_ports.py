"""Ports a test's own servers listen on, that nothing else on the machine is handed while the test holds them.

A port picked with ``bind(("127.0.0.1", 0))`` and released comes from the kernel's ephemeral range, the range every
other ``bind(0)`` and every outgoing connection draws from: the Temporal dev servers of the suite's other processes
(and of `client.py up` itself) bind their internal services' ports that way, and one took the docs stack's demo site
port between its release and the site's start. `up` found the port answering and served no site; the example plan's
fetch met a gRPC server ("illegal request line", its HTTP/2 greeting). These come from below that range, where the
kernel never picks, and each is locked (``flock``, in a directory every worktree's suite shares) for as long as the
block holds it, so no other test process reserves it either; the lock goes with the process that held it.
"""

from __future__ import annotations

import contextlib
import fcntl
import random
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

LOCKS = Path(tempfile.gettempdir()) / "orchestra-test-ports"
LOWEST = 20_000  # above the well-known ports and the product's defaults (7233, 8233, 8234)


def ephemeral_range() -> range:
    """The ports the kernel hands out to ``bind(0)`` and to outgoing connections (Linux's defaults elsewhere)."""
    try:
        low, high = map(int, Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    except (OSError, ValueError):
        low, high = 32_768, 60_999
    return range(low, high + 1)


def _candidates() -> list[int]:
    ephemeral = ephemeral_range()
    ports = [port for port in range(LOWEST, 65_536) if port not in ephemeral]
    random.shuffle(ports)  # suites starting at once try different ports first, not each other's locks
    return ports


def _free(port: int) -> bool:
    """Nothing listens on it (a connection left in TIME_WAIT does not count: the servers bind with SO_REUSEADDR)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _locked(port: int, listening_too: bool = False) -> IO[str] | None:
    """The port's lock file, locked, if no test process holds it and nothing listens on the port (or whatever
    listens, ``listening_too``)."""
    LOCKS.mkdir(exist_ok=True)
    lock = open(LOCKS / str(port), "a")  # noqa: SIM115 (the caller closes it, which unlocks it)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        return None
    if not listening_too and not _free(port):
        lock.close()
        return None
    return lock


def reserved(port: int) -> bool:
    """Whether a test process holds ``port`` reserved now (this one included: a ``flock`` of another open of the file
    waits)."""
    lock = _locked(port, listening_too=True)
    if lock is None:
        return True
    lock.close()
    return False


@contextlib.contextmanager
def reserved_ports(count: int) -> Iterator[list[int]]:
    """``count`` distinct ports, free when chosen, outside the kernel's ephemeral range and locked against every
    other caller of this on the machine until the block ends: keep the block open while the servers given them run."""
    with contextlib.ExitStack() as held:
        ports: list[int] = []
        for port in _candidates():
            if len(ports) == count:
                break
            if (lock := _locked(port)) is not None:
                held.enter_context(lock)
                ports.append(port)
        if len(ports) < count:
            raise RuntimeError(f"fewer than {count} free ports outside the ephemeral range {ephemeral_range()}")
        yield ports
