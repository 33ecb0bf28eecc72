"""Where a process's PID means that process: a short, non-secret tag a worker puts in its identity (create_worker).

A PID names a process only within one PID namespace of one boot of one kernel: two containers sharing a host name
(docker `--uts host`, Kubernetes hostNetwork pods) each have their own, and a CLI judging by the host name alone read
the other's live workers as gone. PLACE hashes the kernel's boot id and the PID namespace's inode: equal places number
processes alike. START hashes the process's start time (clock ticks after boot, /proc/PID/stat field 22): a process
that took a dead worker's number since started later, so the dead worker is known gone, not counted alive.

Linux only (from /proc); elsewhere, or when this /proc is not of this process's PID namespace (a /proc mounted from
another namespace numbers processes otherwise), there is no tag and nothing is judged. The hashes say nothing of the
boot id or start time behind them: a tag is no secret, and nothing can be learnt from it but equality.
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import cache
from pathlib import Path

PROC = Path("/proc")
PLACE_CHARS = 8
START_CHARS = 4  # one reused PID in 65,536 reads as the dead worker alive: it is then asked, as before
# The tag as it ends an identity: /PLACE.START
TAG = re.compile(rf"/(?P<place>[0-9a-f]{{{PLACE_CHARS}}})\.(?P<start>[0-9a-f]{{{START_CHARS}}})")


def _digest(*parts: object, chars: int) -> str:
    return hashlib.sha256("\0".join(map(str, parts)).encode()).hexdigest()[:chars]


def stat_fields(pid: int | str, proc: Path = PROC) -> list[bytes] | None:
    """The fields of /proc/PID/stat from field 1 (pid) on, comm as one; None when it cannot be read."""
    try:
        stat = (proc / str(pid) / "stat").read_bytes()
    except OSError:
        return None
    # pid (comm) state ...: comm may hold spaces and parentheses, the state follows the last ')'.
    close = stat.rfind(b")")
    return [stat[: stat.find(b" (")], stat[stat.find(b" (") + 1 : close + 1], *stat[close + 1 :].split()]


@cache
def place(proc: Path = PROC) -> str | None:
    """This process's place: None when it is not known for certain (no /proc, or a /proc of another namespace)."""
    fields = stat_fields("self", proc)
    if fields is None or fields[0] != str(os.getpid()).encode():
        return None
    try:
        boot_id = (proc / "sys" / "kernel" / "random" / "boot_id").read_text().strip()
        namespace = os.stat(proc / "self" / "ns" / "pid")
    except OSError:
        return None
    return _digest(boot_id, namespace.st_dev, namespace.st_ino, chars=PLACE_CHARS)


def start(fields: list[bytes]) -> str | None:
    """The tag of a process's start time, from its stat_fields; None if they hold none."""
    if len(fields) < 22:
        return None
    return _digest(fields[0].decode(), fields[21].decode(), chars=START_CHARS)


def own_tag() -> str:
    """What ends a worker's identity of this process: /PLACE.START, empty when either is not known."""
    here, fields = place(), stat_fields("self")
    started = start(fields) if fields else None
    return f"/{here}.{started}" if here and started else ""
