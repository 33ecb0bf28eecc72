"""Which hidden files of the workspace a worker made: its write's temp files, its delete's files moved aside, its undo's
copies put back (``.<name>.<random>.tmp``, ``.deleting``, ``.back``). Their names alone never said it: a user's own
``.notes.0123456789ab.tmp`` of that form was deleted by a worker's start, and a user's ``.x.<hex>.deleting`` renamed.

A file the worker makes, or moves, under such a name is marked: an extended attribute holding a keyed digest of its
device, inode and name (a user may set any attribute of their files, never this digest without the key; a copy of a
marked file, another inode, is not marked). Where the file system (or the file's mode) takes no such attribute, the
digest is recorded instead as an empty file in the worker's folder beside the workspace (``.<workspace>.marks/``,
0700, the worker's own, like its key). Only a marked file is ever removed or renamed by a sweep; any other is left as
it is (said in the log)."""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import hmac
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import structlog

log = structlog.get_logger("orchestra.workspace")
ATTRIBUTE = "user.orchestra.made"
KEY_BYTES = 32


@dataclass(frozen=True)
class Marks:
    folder: Path  # the worker's own, beside the workspace: its key and the marks no attribute could hold
    root: Path  # the workspace's real path: a workspace holding the folder (at /) has no key, its plans would read it

    def mark(self, parent: int, entry: str) -> None:
        """``entry`` of the directory ``parent`` is the worker's (made, or moved there, by it just now)."""
        digest = self._digest(parent, entry, entry, create=True)
        if digest is None:
            log.warning("a worker's hidden file could not be marked as its own", entry=entry, folder=str(self.folder))
            return
        try:
            os.setxattr(_at(parent, entry), ATTRIBUTE, digest.encode(), follow_symlinks=False)
        except OSError:  # no extended attributes here (or the file's mode refuses them): recorded beside
            with contextlib.suppress(OSError):
                os.close(os.open(self.folder / digest, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o600))

    def made(self, parent: int, entry: str) -> bool:
        """Whether ``entry`` is a file the worker marked at that name (``mark``): never a user's of the same name."""
        digest = self._digest(parent, entry, entry, create=False)
        if digest is None:
            return False
        with contextlib.suppress(OSError):
            if hmac.compare_digest(os.getxattr(_at(parent, entry), ATTRIBUTE, follow_symlinks=False), digest.encode()):
                return True
        return (self.folder / digest).exists()

    def unmark(self, parent: int, at: str, was: str | None = None) -> None:
        """The mark of the file now at ``at`` (marked as ``was``) goes: it left its hidden name (put back at the user's
        name, or about to be removed)."""
        digest = self._digest(parent, at, was or at, create=False)
        with contextlib.suppress(OSError):
            os.removexattr(_at(parent, at), ATTRIBUTE, follow_symlinks=False)
        if digest is not None:
            with contextlib.suppress(OSError):
                (self.folder / digest).unlink()

    def _digest(self, parent: int, at: str, named: str, create: bool) -> str | None:
        try:
            info = os.stat(at, dir_fd=parent, follow_symlinks=False)
            key = _key(self.folder, create) if self.root not in self.folder.parents else None
        except OSError:
            return None
        if key is None or not stat.S_ISREG(info.st_mode):
            return None
        said = f"{info.st_dev}:{info.st_ino}:".encode() + os.fsencode(named)
        return hmac.new(key, said, hashlib.sha256).hexdigest()


def marks_of(root: Path) -> Marks:
    real = root.resolve()
    return Marks(real.parent / f".{real.name}.marks", real)


def _at(parent: int, entry: str) -> str:
    """A path to ``entry`` of the directory descriptor ``parent`` (xattr calls take no ``dir_fd``)."""
    return f"/proc/self/fd/{parent}/{entry}"


@functools.lru_cache(maxsize=64)
def _known_key(folder: Path) -> bytes:
    return _read_key(folder)


def _key(folder: Path, create: bool) -> bytes | None:
    """The worker's key in ``folder`` (made if ``create``); None: none, or the folder is not the worker's own (one
    another user made, or open to others, would let them forge marks)."""
    try:
        return _known_key(folder)
    except FileNotFoundError:
        if not create:
            return None
    except OSError:
        return None
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        part = folder / f"key.{os.urandom(8).hex()}"
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            os.write(fd, os.urandom(KEY_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
        with contextlib.suppress(FileExistsError):  # another worker made it first: its key is the one
            os.link(part, folder / "key")
        part.unlink()
        return _known_key(folder)
    except OSError as exc:
        log.warning("no key to mark a worker's hidden files", folder=str(folder), error=str(exc))
        return None


def _read_key(folder: Path) -> bytes:
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o077:
        raise OSError(errno.EPERM, "not a directory of the worker's own, closed to others", str(folder))
    fd = os.open(folder / "key", os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        key = os.read(fd, KEY_BYTES + 1)
    finally:
        os.close(fd)
    if len(key) != KEY_BYTES:
        raise OSError(errno.EINVAL, "a key of another size", str(folder / "key"))
    return key
