"""Room left on a disk before the worker writes to it.

The workspace has no quota, and it usually shares a disk with the data folder (stored payloads) and the
dev server's database: a step that filled it (write_file, or an allowed program) would make every later
write there fail half done, stored payloads and Temporal's own. So the worker's own writes stop while
MIN_FREE_BYTES would still be left, with an error that says so (an OSError with ENOSPC: every caller
already reads that as a full disk). What a sandboxed program writes is bounded per file (its rlimit),
not in total: docs/security.md says so.
"""

from __future__ import annotations

import errno
import os

# Kept free for what cannot stop on its own: Temporal's database, logs, an operator's shell.
MIN_FREE_BYTES = 256 * 1024 * 1024


class DiskFull(OSError):
    def __init__(self, message: str) -> None:
        super().__init__(errno.ENOSPC, message)


def require_room(where: int | str | os.PathLike[str], adding: int) -> None:
    """Raise DiskFull unless ``adding`` bytes leave MIN_FREE_BYTES on the disk of ``where`` (a path, or an
    open descriptor on that disk)."""
    info = os.fstatvfs(where) if isinstance(where, int) else os.statvfs(where)
    free = info.f_bavail * info.f_frsize
    if free - adding < MIN_FREE_BYTES:
        raise DiskFull(
            f"the disk would keep less than {MIN_FREE_BYTES // (1024 * 1024)} MiB free after {adding:,} bytes"
            f" more ({free // (1024 * 1024)} MiB free)"
        )
