"""Which hidden files of the workspace a worker made: its write's temp files, its delete's files moved aside, its undo's
copies put back (``.<name>.<random>.tmp``, ``.deleting``, ``.back``). Their names alone never said it: a user's own
``.notes.0123456789ab.tmp`` of that form was deleted by a worker's start, and a user's ``.x.<hex>.deleting`` renamed.

A file the worker makes, or moves, under such a name is marked: an extended attribute holding a keyed digest of its
device, inode and name (a user may set any attribute of their files, never this digest without the key; a copy of a
marked file, another inode, is not marked). Where the file system (or the file's mode) takes no such attribute, the
digest is recorded instead as an empty file in the worker's folder beside the workspace (``.<workspace>.marks/``,
0700, the worker's own, like its key), holding the file's path in the workspace: a record whose file is gone (or is
another file since) is removed by a worker's start (``sweep_records``), so records never pile up, and never stay to
mark a file that later takes the same inode and name. The folder is read by descriptor and checked to be the worker's
own at every use: one removed, or replaced by another's, while a worker runs is never trusted. Only a marked file is
ever removed or renamed by a sweep; any other is left as it is (said in the log)."""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import hmac
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import structlog

log = structlog.get_logger("orchestra.workspace")
ATTRIBUTE = "user.orchestra.made"
KEY_BYTES = 32
KEY = "key"
MAX_RECORDS_SEEN = 100_000  # records a worker's start looks at: its start is never held long


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
            with contextlib.suppress(OSError), _own_folder(self.folder) as folder:
                fd = os.open(digest, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600, dir_fd=folder)
                try:  # where the file is, for the sweep of records whose file is gone (``sweep_records``)
                    os.write(fd, os.fsencode(self._path_of(parent, entry)))
                finally:
                    os.close(fd)

    def made(self, parent: int, entry: str) -> bool:
        """Whether ``entry`` is a file the worker marked at that name (``mark``): never a user's of the same name."""
        digest = self._digest(parent, entry, entry, create=False)
        if digest is None:
            return False
        with contextlib.suppress(OSError):
            if hmac.compare_digest(os.getxattr(_at(parent, entry), ATTRIBUTE, follow_symlinks=False), digest.encode()):
                return True
        with contextlib.suppress(OSError), _own_folder(self.folder) as folder:
            os.stat(digest, dir_fd=folder, follow_symlinks=False)
            return True
        return False

    def unmark(self, parent: int, at: str, was: str | None = None) -> None:
        """The mark of the file now at ``at`` (marked as ``was``) goes: it left its hidden name (put back at the user's
        name, or about to be removed)."""
        digest = self._digest(parent, at, was or at, create=False)
        with contextlib.suppress(OSError):
            os.removexattr(_at(parent, at), ATTRIBUTE, follow_symlinks=False)
        if digest is not None:
            with contextlib.suppress(OSError), _own_folder(self.folder) as folder:
                os.unlink(digest, dir_fd=folder)

    def usable(self) -> bool:
        """Whether the worker can mark its hidden files here: its key made, or read, in a folder of its own."""
        return self.root not in self.folder.parents and _key(self.folder, create=True) is not None

    def sweep_records(self) -> int:
        """Removes the records (``mark``) whose file is gone, or is another file now: how many. A record holding no
        path (a worker's from before, or one being written) stays."""
        removed = 0
        with contextlib.suppress(OSError), _own_folder(self.folder) as folder:
            for seen, digest in enumerate(os.listdir(folder)):
                if seen >= MAX_RECORDS_SEEN:
                    break
                if digest == KEY or digest.startswith(KEY + ".") or self._still_marks(folder, digest):
                    continue
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(digest, dir_fd=folder)
                    removed += 1
        return removed

    def _still_marks(self, folder: int, digest: str) -> bool:
        try:
            fd = os.open(digest, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=folder)
            try:
                path = os.read(fd, 1 << 16)
            finally:
                os.close(fd)
        except OSError:
            return True  # not a record it can read: left as it is
        if not path:
            return True
        place = self.root / os.fsdecode(path)
        try:
            parent = os.open(place.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError:
            return False
        try:
            return self._digest(parent, place.name, place.name, create=False) == digest
        finally:
            os.close(parent)

    def _path_of(self, parent: int, entry: str) -> str:
        """``entry`` of the directory ``parent`` as a path in the workspace."""
        try:
            return str((Path(os.readlink(f"/proc/self/fd/{parent}")) / entry).relative_to(self.root))
        except (OSError, ValueError):  # a directory removed meanwhile: a record of no path, never swept
            return ""

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


@contextlib.contextmanager
def _own_folder(folder: Path) -> Iterator[int]:
    """``folder`` open, checked the worker's own and closed to others (never through a link): one removed and made anew
    by another user while a worker runs would have it read marks that user wrote, or write its own there."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if info.st_uid != os.geteuid() or info.st_mode & 0o077:
            raise OSError(errno.EPERM, "not a directory of the worker's own, closed to others", str(folder))
        yield fd
    finally:
        os.close(fd)


@functools.lru_cache(maxsize=64)
def _key_of(folder: Path, device: int, inode: int) -> bytes:
    """The key of ``folder`` as it is now (by its device and inode: one made anew is read anew)."""
    return _read_key(folder)


def _known_key(folder: Path) -> bytes:
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o077:
        raise OSError(errno.EPERM, "not a directory of the worker's own, closed to others", str(folder))
    return _key_of(folder, info.st_dev, info.st_ino)


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
    with _own_folder(folder) as opened:
        fd = os.open(KEY, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=opened)
        try:
            key = os.read(fd, KEY_BYTES + 1)
        finally:
            os.close(fd)
    if len(key) != KEY_BYTES:
        raise OSError(errno.EINVAL, "a key of another size", str(folder / "key"))
    return key
