"""The file-level steps under the copies kept for undos (orchestra/tools/replaced.py): where they live and whose
the folder is, names that are digests, a directory's renames made durable, and whether a file is still the one a
record says (device and inode, mode and owner, size, SHA-256, read without following a link or hanging on a FIFO).
Apart from the Keeper so that it, the run's end (replaced_forget) and the sweep (replaced_sweep) share them without
importing one another."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
from pathlib import Path

from orchestra import workspace
from orchestra.errors import ToolValidationError
from orchestra.workspace import Workspace, sha256_of

TOKEN_CHARS = 32


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:TOKEN_CHARS]


def _root(files: Workspace) -> Path:
    real = files.root.resolve()  # a workspace reached through a link: its copies on its own disk
    return real.parent / f".{real.name}.replaced"


def _own(folder: Path) -> None:
    """Refuses a folder that is not a directory of the worker's own closed to others: one made beforehand by
    another user (in a shared /tmp) would let them read the copies, or change one before its undo puts it back."""
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o077:
        raise OSError(errno.EPERM, "not a directory of the worker's own, closed to others", str(folder))


def _synced(parent: int, *folders: Path) -> None:
    """The renames in ``parent`` (and ``folders``) on the disk: a rename is durable only once its directory is."""
    os.fsync(parent)
    _synced_folders(*folders)


def _synced_folders(*folders: Path) -> None:
    for folder in folders:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class _Hashed:
    """The SHA-256 of the file ``fd``, read once if asked."""

    def __init__(self, fd: int) -> None:
        self.fd, self.sha256 = fd, ""

    def __call__(self) -> str:
        if not self.sha256:
            os.lseek(self.fd, 0, os.SEEK_SET)
            self.sha256 = sha256_of(self.fd)
        return self.sha256


def _access(info: os.stat_result) -> list[int]:
    return list(workspace.access_of(info))


def _same_access(access: list[int] | None, info: os.stat_result) -> bool:
    """Whether the file ``info`` has the mode, owner and group a write's record says (of an older worker: none)."""
    return access is None or access == _access(info)


def _same_size(size: int | None, other: int) -> bool:
    return size is None or size == other


def _identity(info: os.stat_result) -> list[int]:
    return [info.st_dev, info.st_ino]


def _same(file: list[int] | None, other: list[int] | None) -> bool:
    """Whether two files may be one: the same device and inode, or one not known (a record of an older worker, a
    copy made across disks)."""
    return not file or not other or file == other


def _still_found(parent: int, name: str, found: os.stat_result | None, sha256: str | None) -> bool:
    """Whether ``name`` is the regular file ``found`` (any, if None; of bytes ``sha256``, if given), nothing written
    into it while it was read."""
    fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=parent)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or (found is not None and _identity(info) != _identity(found)):
            return False
        os.set_blocking(fd, True)  # the regular file found
        return not sha256 or workspace.still_hashes(fd, sha256)
    finally:
        os.close(fd)


def _regular_or_absent(parent: int, name: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(name, dir_fd=parent, follow_symlinks=False).st_mode)
    except FileNotFoundError:
        return True


def _sha256_of_path(path: Path) -> str:
    return _sha256_of_file(os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC), path.name)


def _sha256_at(parent: int, name: str) -> str:
    return _sha256_of_file(
        os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=parent), name
    )


def _sha256_of_file(fd: int, name: str) -> str:
    """The SHA-256 of the regular file ``fd`` (closed): a FIFO a program put at a name an undo reads (its ``.back``,
    named by the write's token) held the worker's thread as long as it was fed, then was put back as the file."""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ToolValidationError(f"{name!r} is not a regular file", code="not_a_file")
        return sha256_of(fd)
    finally:
        os.close(fd)


def _copy_fd(source: int, target: int) -> None:
    """The bytes, mode and (for a worker running as root) owner of ``source``: a file of the user's copied across
    disks came back 0644 (a private 0600 file readable by all, a program no longer executable)."""
    with os.fdopen(os.dup(source), "rb") as reading, os.fdopen(os.dup(target), "wb") as writing:
        shutil.copyfileobj(reading, writing, 1 << 20)
        writing.flush()
        info = os.fstat(source)
        if os.geteuid() == 0:
            os.fchown(target, info.st_uid, info.st_gid)  # first: a change of owner clears set-id bits
        os.fchmod(target, stat.S_IMODE(info.st_mode))
        os.fsync(writing.fileno())
