"""Whether a worker's identity names a process of this host that is no longer running.

The SDK names a client's identity PID@HOST (and create_worker each worker's PID@HOST/SUFFIX). A worker killed
(SIGKILL, a crash, the OOM killer) sends no shutdown heartbeat, and the server lists its poller, with a recent last
poll, for a minute or more: a one-shot `status` asked its run and waited 5 s for nobody. When HOST is this host's name,
whether process PID runs is known here at once, and for certain when it does not: no process (or one that ended and
its parent has not yet reaped, a zombie), no worker. A process
running under that PID is counted a worker (it may be another that took the number: then the run is asked, as
before), and so is any identity of another host or named otherwise: nothing is known of those here.

Two machines of one name (containers sharing the host's name but not its processes) would each read the other's
workers as gone: a worker's process is judged only where the name says it runs.
"""

from __future__ import annotations

import os
import re
import socket
from pathlib import Path

SDK_IDENTITY = re.compile(r"(?P<pid>[1-9][0-9]{0,9})@(?P<host>[^/]+)(?:/.*)?", re.DOTALL)


def process_gone_here(identity: str) -> bool:
    """True when ``identity`` names a process of this host (PID@HOST, the SDK's form) that does not run."""
    match = SDK_IDENTITY.fullmatch(identity)
    if match is None or os.name != "posix" or match["host"] != socket.gethostname():
        return False  # os.kill(pid, 0) is no probe elsewhere: on Windows it ends the process
    pid = int(match["pid"])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (OSError, OverflowError):
        return False  # PermissionError: it runs, as another user; anything else: not known
    return ended_unreaped(pid)


def ended_unreaped(pid: int) -> bool:
    """True when process ``pid`` has exited and waits for its parent to reap it (state Z in /proc, Linux)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return False
    # pid (comm) state ...: comm may hold spaces and parentheses, the state follows the last ')'.
    return stat[stat.rfind(b")") + 1 :].split()[:1] == [b"Z"]
