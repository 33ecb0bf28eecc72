"""Whether a worker's identity names a process of this PID namespace that is no longer running.

create_worker names each worker PID@HOST/SUFFIX/PLACE.START (orchestra/process_place.py): PLACE says in which PID
namespace of which boot PID numbers the worker, START when it started. A worker killed (SIGKILL, a crash, the OOM
killer) sends no shutdown heartbeat, and the server lists its poller, with a recent last poll, for a minute or more: a
one-shot `status` asked its run and waited 5 s for nobody. When PLACE is this process's own, whether the worker runs is
known here at once, and for certain when it does not: no process PID, one that ended and its parent has not yet reaped
(a zombie), or one that started at another time (it took the number since). Any other identity is counted a worker:
another place's (a machine or container of the same host name but its own processes: PID there is not PID here), or
one without the tag (an older worker's, another SDK's, one its application named).
"""

from __future__ import annotations

import os
import re

from orchestra import process_place

WORKER_IDENTITY = re.compile(rf"(?P<pid>[1-9][0-9]{{0,9}})@[^/]+/.*{process_place.TAG.pattern}", re.DOTALL)


def process_gone_here(identity: str) -> bool:
    """True when ``identity`` names a worker of this process's place (PID@HOST/…/PLACE.START) that does not run."""
    match = WORKER_IDENTITY.fullmatch(identity)
    if match is None or os.name != "posix" or match["place"] != process_place.place():
        return False  # os.kill(pid, 0) is no probe elsewhere: on Windows it ends the process
    pid = int(match["pid"])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # it runs, as another user: its start time says whether it is the worker
    except (OSError, OverflowError):
        return False  # not known
    fields = process_place.stat_fields(pid)
    if fields is None:
        return False  # it ended since (or this /proc hides it): not known for certain
    return fields[2] == b"Z" or process_place.start(fields) not in (None, match["start"])
