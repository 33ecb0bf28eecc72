"""One undo (or write that keeps what it replaces) of a path at a time, whichever thread or worker process runs it.

An attempt given up before its activity's timeout goes on in its thread (a thread cannot be stopped), and its retry,
in that worker or in another on the same workspace, ran beside it: it said "already absent" of the file the first
was hashing aside, or put that file back under it. The lock is the ``flock`` of a file beside the copies' place
(``.<workspace>.locks/<digest of the path>``, of the worker's own, closed to others; not among the copies, which the
run's end and the sweep read): it holds across processes, and between threads (each opens the file anew). Its
holder removes the file, and a waiter that then locks the removed one opens it again. Where that place, or the
path's file in it, cannot be made (a workspace whose parent is read-only, or ``/``; a disk out of room), the lock
holds in this process alone, said in the log. A waiter gives up when its time is out (``waiting``: an error saying
what it waits for): a thread left waiting would do the undo after its activity was given up, beside the next
attempt."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import structlog

from orchestra.errors import ToolError
from orchestra.tools.replaced_files import _digest, _own, _root
from orchestra.workspace import Workspace

log = structlog.get_logger("orchestra.tools.replaced")
POLL_S = 0.01
_folders: dict[Path, Path] = {}  # a workspace's root -> the folder of its locks
_in_process: dict[str, tuple[threading.Lock, int]] = {}  # where no lock file can be had: a path -> its lock, users
_in_process_lock = threading.Lock()


@contextlib.contextmanager
def one_at_a_time(files: Workspace, relative: str, wait_s: float, waiting: Callable[[], ToolError]) -> Iterator[None]:
    """Held while the path ``relative`` is undone (or written keeping what it replaces), waited for up to ``wait_s``."""
    key, deadline = _digest(relative), time.monotonic() + wait_s
    folder = _folder(files)
    path = None if folder is None else folder / key
    fd = None if path is None else _lock_file(path, deadline, waiting)
    if path is None or fd is None:
        with _held_in_process(f"{files.root.resolve()}\0{key}", deadline - time.monotonic(), waiting):
            yield
        return
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)  # locked still: a waiter that locks it next sees it gone, and opens the path anew
        os.close(fd)


def _folder(files: Workspace) -> Path | None:
    """The folder of the workspace's locks (made, the worker's own); None: none can be had (said in the log). Found
    once a process (its path resolved: a quarter of an undo's time), checked still the worker's own each time."""
    known = _folders.get(files.root)
    if known is not None:
        with contextlib.suppress(OSError):
            _own(known)
            return known
    copies = _root(files)
    folder = copies.with_name(f"{copies.name.removesuffix('.replaced')}.locks")
    try:
        if files.root.resolve() in folder.parents:  # a workspace at /: its plans would reach the locks
            raise OSError(errno.EPERM, "the workspace holds its parent", str(folder))
        folder.mkdir(mode=0o700, exist_ok=True)
        _own(folder)  # another user's folder: they could hold every undo's lock
    except OSError as exc:
        log.warning("undos of a path are one at a time in this process alone", folder=str(folder), error=str(exc))
        return None
    _folders[files.root] = folder
    return folder


def _lock_file(path: Path, deadline: float, waiting: Callable[[], ToolError]) -> int | None:
    """The locked lock file's descriptor; None: it cannot be made (said in the log). An undo deletes or renames, and
    needs no room of its own: on a disk out of room (or of inodes) the lock's empty file failed every undo as
    "disk_full" until its retries ran out, the file it would have removed left in the workspace."""
    try:
        return _acquire(path, deadline, waiting)
    except OSError as exc:
        log.warning("no lock file: undos of this path are one at a time in this process alone", path=str(path),
                    error=str(exc))  # fmt: skip
        return None


def _acquire(path: Path, deadline: float, waiting: Callable[[], ToolError]) -> int:
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if _is_at(fd, path):
                return fd
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() >= deadline:
                raise waiting() from None
            time.sleep(POLL_S)
            continue
        except BaseException:
            os.close(fd)  # held past here (a stat failing), the path's lock was this process's for good
            raise
        os.close(fd)  # removed by the holder before: the lock of a file no other waiter opens


def _is_at(fd: int, path: Path) -> bool:
    try:
        at = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (at.st_dev, at.st_ino) == (held.st_dev, held.st_ino)


@contextlib.contextmanager
def _held_in_process(key: str, wait_s: float, waiting: Callable[[], ToolError]) -> Iterator[None]:
    with _in_process_lock:
        lock, users = _in_process.get(key, (threading.Lock(), 0))
        _in_process[key] = lock, users + 1
    try:
        if not lock.acquire(timeout=max(wait_s, 0.0)):
            raise waiting()
        try:
            yield
        finally:
            lock.release()
    finally:
        with _in_process_lock:
            users = _in_process[key][1] - 1
            if users:
                _in_process[key] = lock, users
            else:
                del _in_process[key]  # one lock a path undone, for ever, in a worker that runs for months
