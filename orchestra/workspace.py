"""Files in the workspace, reached by descriptor.

Every path is walked from the workspace's directory descriptor one component at a time, each opened
with ``O_NOFOLLOW`` relative to the one before (``openat``), and the file is then used through its own
descriptor. A symbolic link — there from the start, or swapped in by a concurrent process between a
check and the use — can therefore never lead a read, a write, an append or a delete outside: a link
anywhere in a path is refused. Paths are normalised as text first (``a/../b`` is ``b``); one that
climbs out of the workspace is refused before anything is opened.

When the worker runs as root and tool processes run sandboxed as another uid (orchestra/sandbox.py),
what these functions create is given to that uid, so the two can work on the same files.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import fnmatch
import hashlib
import os
import posixpath
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import structlog

from orchestra.disk_space import require_room
from orchestra.errors import ToolError, ToolValidationError
from orchestra.workspace_marks import Marks, marks_of

log = structlog.get_logger("orchestra.workspace")
HASH_CHUNK = 1 << 20
HEAD_BYTES = 4  # the longest byte order mark (UTF-32's)
# How long an append waits for another writer's lock on the file: a step's own program may hold one for
# ever (``flock log.txt sleep infinity &``), and a worker thread blocked in flock is never given back.
LOCK_WAIT_S = 10.0
# Bytes to append, from how the file begins (empty: a new or empty file).
Appended = Callable[[bytes], bytes]
# Puts a written temp file at its name, both in the directory ``parent`` (a descriptor): (parent, temp, name).
Put = Callable[[int, str, str], None]
MAX_LIST_DEPTH = 64
# Linux's bounds on a name and a path, in bytes: past them the system says only "File name too long", as
# an I/O error. A path longer than PATH_MAX can be made here (it is walked a part at a time) but then not
# be named by any program a step runs.
NAME_MAX = 255
PATH_MAX = 4095
# A temporary file's name keeps this much of its file's name: with its suffix, within NAME_MAX.
TEMP_NAME_BYTES = 200
# The least a name cut to TEMP_NAME_BYTES keeps (cut_name: at a character's end, UTF-8's of at most 4 bytes): a hidden
# name that keeps this much or more may be a longer name's.
CUT_KEEPS_AT_LEAST = TEMP_NAME_BYTES - 3
DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
RENAME_NOREPLACE, RENAME_EXCHANGE = 1, 2
# A checked delete's name for its file while it checks it: .<name>.<random>.deleting (aside_name).
ASIDE_TOKEN_BYTES, ASIDE_SUFFIX = 6, ".deleting"
# A write's name for its file until it is whole: .<name>.<random>.tmp (temp_name).
TEMP_SUFFIX = ".tmp"
# An undo's name for the user's file while it exchanges it with the write's: .<name>.<random>.back
# (orchestra/tools/replaced.py's back_name: 16 random bytes, or an older worker's 6 of the write's token).
BACK_SUFFIX, BACK_TOKEN_BYTES = ".back", (16, ASIDE_TOKEN_BYTES)
# How old (since its last change) a temp or aside file of ours is before it is taken for one a worker left when it
# died mid-write or mid-delete (SIGKILL, power lost): longer than any attempt may run, so one under way is never taken.
LEFT_AFTER_S = 3_600.0 + 600.0
_libc = ctypes.CDLL(None, use_errno=True)


@dataclass(frozen=True)
class Entry:
    path: str
    size: int
    is_dir: bool


@dataclass
class Listing:
    entries: list[Entry] = field(default_factory=list)
    truncated: bool = False  # more entries than asked for
    depth_cut: bool = False  # directories deeper than MAX_LIST_DEPTH, not entered


@dataclass(frozen=True)
class AsWritten:
    """What a write's record says of the file it made, checked before its undo deletes it: a file of another size
    is not read (a file of gigabytes put there held the undo past its time), and one whose mode, owner or group
    changed since (``chmod 600``, a ``chown``) is the user's now, kept as any change; so is another file of the same
    bytes put at its name (``cp backup new.txt``, another run's write over it, still its own), as an undo of a write
    that kept what it replaced tells it (orchestra/tools/replaced.py)."""

    size: int | None = None
    access: tuple[int, int, int] | None = None  # mode, uid, gid
    file: tuple[int, int] | None = None  # device, inode


@dataclass(frozen=True)
class Workspace:
    root: Path
    owner: tuple[int, int] | None = None

    # --- paths ------------------------------------------------------------------------------------

    def owners(self) -> tuple[int, ...]:
        """The users besides the worker's that the workspace's files it makes belong to (the sandbox's)."""
        return (self.owner[0],) if self.owner is not None else ()

    def marks(self) -> Marks:
        """What says which hidden files here the worker made (orchestra/workspace_marks.py)."""
        return marks_of(self.root)

    def relative(self, user_path: str) -> str:
        """``user_path`` as a normalised path relative to the root (``.`` for the root itself)."""
        if "\0" in user_path:
            raise ToolValidationError(f"path {user_path!r} contains a NUL byte", code="bad_path")
        try:
            os.fsencode(user_path)
        except UnicodeEncodeError:
            # A lone surrogate (JSON's "\ud800") names no file: only \udc80-\udcff stand for bytes of a
            # name that is no UTF-8 (as list_files gives such a name), and the system was asked with none.
            raise ToolValidationError(
                f"path {user_path!r} holds a character no file name can (a lone surrogate)", code="bad_path"
            ) from None
        text = user_path.strip() or "."
        if posixpath.isabs(text):
            for root in dict.fromkeys((str(self.root), str(self.root.resolve()))):
                inside = posixpath.relpath(posixpath.normpath(text), root)
                if not _climbs(inside):
                    _check_lengths(inside)
                    return inside
            raise self._outside(user_path)
        relative = posixpath.normpath(text)
        if _climbs(relative):
            raise self._outside(user_path)
        _check_lengths(relative)
        return relative

    def file_relative(self, user_path: str) -> str:
        """``relative`` for a path that must name a file: one ending in a separator names a directory,
        which normalising would hide (``a/`` is ``a``), so a write would make the file ``a``."""
        if posixpath.basename(user_path.strip()) in ("", ".", ".."):
            raise ToolValidationError(f"path {user_path!r} names a directory, not a file", code="is_a_directory")
        return self.relative(user_path)

    def _outside(self, user_path: str) -> ToolValidationError:
        return ToolValidationError(
            f"path {user_path!r} is outside the workspace {self.root}", code="path_outside_workspace"
        )

    # --- descriptors ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def directory(self, relative: str, *, create: bool = False) -> Iterator[int]:
        """A descriptor of the directory ``relative`` (created if asked), reached without following links."""
        fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            for part in _parts(relative):
                child = self._child(fd, part, relative, create)
                os.close(fd)
                fd = child
            yield fd
        finally:
            os.close(fd)

    def _child(self, parent: int, part: str, relative: str, create: bool) -> int:
        try:
            return os.open(part, DIR_FLAGS, dir_fd=parent)
        except FileNotFoundError:
            if not create:
                raise ToolValidationError(
                    f"directory {relative!r} does not exist in the workspace", code="not_found"
                ) from None
        except OSError as exc:
            raise _path_error(exc, relative) from None
        with contextlib.suppress(FileExistsError):
            os.mkdir(part, 0o755, dir_fd=parent)
            if self.owner is not None:
                os.chown(part, *self.owner, dir_fd=parent, follow_symlinks=False)
        try:
            return os.open(part, DIR_FLAGS, dir_fd=parent)
        except OSError as exc:
            raise _path_error(exc, relative) from None

    @contextlib.contextmanager
    def file(self, relative: str, flags: int, *, make_dirs: bool = False, room: int | None = None) -> Iterator[int]:
        """A descriptor of the regular file ``relative``; never a link, a FIFO, a device or a directory.
        ``room``: bytes that must fit on its disk (``disk_space.require_room``) before it is opened."""
        parent_path, name = posixpath.split(relative)
        if name in ("", ".", ".."):
            raise ToolValidationError(f"{relative!r} is a directory", code="is_a_directory")
        with self.directory(parent_path or ".", create=make_dirs) as parent:
            if room is not None:
                require_room(parent, room)
            try:
                # O_NONBLOCK: opening a FIFO must not hang the worker before the type check below.
                fd = os.open(name, flags | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o644, dir_fd=parent)
            except OSError as exc:
                raise _path_error(exc, relative) from None
            try:
                info = os.fstat(fd)
                if stat.S_ISDIR(info.st_mode):
                    raise ToolValidationError(f"{relative!r} is a directory", code="is_a_directory")
                if not stat.S_ISREG(info.st_mode):
                    raise ToolValidationError(f"{relative!r} is not a regular file", code="not_a_file")
                os.set_blocking(fd, True)
                if self.owner is not None and flags & os.O_CREAT and info.st_uid != self.owner[0]:
                    os.fchown(fd, *self.owner)
                yield fd
            finally:
                os.close(fd)

    # --- operations -------------------------------------------------------------------------------

    def read(self, relative: str, limit: int) -> tuple[bytes, int, str]:
        """The first ``limit`` bytes, the size and the SHA-256 of the whole file, all from one descriptor."""
        with self.file(relative, os.O_RDONLY) as fd:
            head = _read_up_to(fd, limit)
            os.lseek(fd, 0, os.SEEK_SET)
            return head, os.fstat(fd).st_size, sha256_of(fd)

    def write(
        self,
        relative: str,
        data: bytes | Appended,
        *,
        append: bool,
        make_dirs: bool,
        most: int | None = None,
        put: Put | None = None,
    ) -> str:
        """Append, or replace atomically (temp file + rename in the same directory); returns the SHA-256.
        What is appended may depend on how the file begins (``Appended``: its first HEAD_BYTES, read from
        the descriptor written to); ``most``: the most bytes it may be, checked for room before a file to
        append to is made. ``put``: what puts the written temp file at the name in place of ``os.replace``
        (orchestra/tools/replaced.py keeps what it replaces)."""
        if append:
            # Room is asked for before the file is made too, so a full disk leaves no empty file behind.
            most = len(data) if isinstance(data, bytes) else most
            flags = os.O_RDWR | os.O_APPEND | os.O_CREAT
            with self.file(relative, flags, make_dirs=make_dirs, room=most) as fd:
                # Locked from reading how the file begins to the end of the write: two steps appending
                # to one new file both read it empty, and both wrote a byte order mark, one mid-file.
                _lock(fd, relative)
                appended = data(os.pread(fd, HEAD_BYTES, 0)) if callable(data) else data
                size = os.fstat(fd).st_size
                written = [0]
                try:
                    require_room(fd, len(appended))
                    _write_all(fd, appended, written)
                except BaseException:
                    _take_back(fd, size, written[0], relative)
                    raise
                os.lseek(fd, 0, os.SEEK_SET)
                return sha256_of(fd)
        whole = data(b"") if callable(data) else data  # a new file: it begins here
        parent_path, name = posixpath.split(relative)
        if name in ("", ".", ".."):
            raise ToolValidationError(f"{relative!r} is a directory", code="is_a_directory")
        with self.directory(parent_path or ".", create=make_dirs) as parent:
            require_room(parent, len(whole))
            replacing: os.stat_result | None = None
            with contextlib.suppress(FileNotFoundError):
                replacing = os.stat(name, dir_fd=parent, follow_symlinks=False)
                mode = replacing.st_mode
                if stat.S_ISDIR(mode):
                    raise ToolValidationError(f"{relative!r} is a directory", code="is_a_directory")
                if stat.S_ISLNK(mode):  # the rename below would replace the link, not follow it; say so instead
                    raise _path_error(OSError(errno.ELOOP, "symbolic link"), relative)
            marks = self.marks()
            _remove_left_temps(parent, name, relative, self.owners(), marks)
            temp = temp_name(name, os.urandom(ASIDE_TOKEN_BYTES).hex())
            fd = os.open(
                temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644, dir_fd=parent
            )
            try:
                marks.mark(parent, temp)  # a sweep removes it only so: never a user's file of a name of that form
                if self.owner is not None:
                    os.fchown(fd, *self.owner)
                if replacing is not None:
                    _same_access(fd, replacing, self.owner is None)
                _write_all(fd, whole)
                os.fsync(fd)
                os.close(fd)
                fd = -1
                # rename replaces whatever is at ``name`` (a link included) rather than following it.
                (put or _replace)(parent, temp, name)
                marks.unmark(parent, name, was=temp)
            except BaseException:
                if fd >= 0:
                    os.close(fd)
                marks.unmark(parent, temp)
                with contextlib.suppress(OSError):
                    os.unlink(temp, dir_fd=parent)
                raise
        return hashlib.sha256(whole).hexdigest()

    def delete(
        self,
        relative: str,
        only_if_sha256: str | None,
        keep: bool = False,
        *,
        written: AsWritten | None = None,
        aside_token: str | None = None,
    ) -> tuple[bool, str]:
        """Deletes the regular file ``relative`` (only if of bytes ``only_if_sha256``, and of the size and access
        ``written`` says, if given); ``keep``: says it is kept. ``aside_token``: the random part of its name while it
        is checked (``aside_name``), chosen by the caller to say where it is if the check outlasts its time."""
        parent_path, name = posixpath.split(relative)
        try:
            with self.directory(parent_path or ".") as parent:
                marks = self.marks()
                _remove_left_temps(parent, name, relative, self.owners(), marks)
                left = _left_aside(parent, name, marks)
                try:
                    info = os.stat(name, dir_fd=parent, follow_symlinks=False)
                except FileNotFoundError:
                    if not _back_from_aside(parent, name, left, marks):
                        return False, "already absent" + _still_aside(parent, relative, left)
                    info = os.stat(name, dir_fd=parent, follow_symlinks=False)
                if not stat.S_ISREG(info.st_mode):
                    raise ToolValidationError(f"{relative!r} is not a regular file", code="not_a_file")
                if keep:  # checked after the file is found: "kept" of nothing, or of a directory, is false
                    done = False, "existed before the write it undoes; kept"
                else:
                    token = aside_token or os.urandom(ASIDE_TOKEN_BYTES).hex()
                    done = _delete_checked(parent, name, relative, only_if_sha256, written, token, marks)
                return done[0], done[1] + _still_aside(parent, relative, left)
        except ToolValidationError as exc:
            if exc.code == "not_found":
                return False, "already absent"
            raise

    def back_from_aside(self, relative: str) -> bool:
        """Whether a file a lost delete left aside (``_left_aside``) is back at the free name ``relative``: a write
        that keeps what it replaces then keeps it, and its undo puts it back (written over unseen, it was hidden
        for good). Called under the path's lock (orchestra/tools/replaced_lock.py)."""
        parent_path, name = posixpath.split(relative)
        with contextlib.suppress(ToolError), self.directory(parent_path or ".") as parent:
            if not exists_at(parent, name):
                marks = self.marks()
                return _back_from_aside(parent, name, _left_aside(parent, name, marks), marks)
        return False

    def directory_path(self, relative: str) -> Path:
        """The absolute path of an existing directory reached without links (for a program's cwd)."""
        with self.directory(relative):
            pass
        return self.root.resolve() / relative if relative != "." else self.root.resolve()

    def listing(self, relative: str, pattern: str, recursive: bool, max_entries: int) -> Listing:
        """Entries under ``relative`` matching ``pattern`` (its name, or its path if the pattern has a
        '/'); links are neither listed nor followed, nor directories deeper than MAX_LIST_DEPTH (a tree
        of any depth can be made here: the listing is cut there and says so, where it failed whole)."""
        found = Listing()
        with self.directory(relative) as base:
            found.truncated = self._list_into(found, base, relative, "", pattern, recursive, max_entries, 0)
        return found

    def _list_into(
        self,
        found: Listing,
        fd: int,
        base: str,
        below: str,
        pattern: str,
        recursive: bool,
        limit: int,
        depth: int,
    ) -> bool:
        entries = found.entries
        with os.scandir(fd) as scan:
            children = sorted((e for e in scan if not e.is_symlink()), key=lambda e: e.name)
        subdirs = []
        for entry in children:
            inside = posixpath.join(below, entry.name) if below else entry.name
            is_dir = entry.is_dir(follow_symlinks=False)
            if is_dir:
                subdirs.append((entry.name, inside))
            subject = inside if "/" in pattern else entry.name
            if not fnmatch.fnmatchcase(subject, pattern):
                continue
            if len(entries) == limit:
                return True
            size = 0 if is_dir else entry.stat(follow_symlinks=False).st_size
            entries.append(Entry(path=posixpath.normpath(posixpath.join(base, inside)), size=size, is_dir=is_dir))
        if not recursive:
            return False
        if subdirs and depth >= MAX_LIST_DEPTH:  # each level holds a descriptor and a frame
            found.depth_cut = True
            return False
        for name, inside in subdirs:
            try:
                child = os.open(name, DIR_FLAGS, dir_fd=fd)
            except OSError:
                continue  # swapped for something else meanwhile: not followed
            try:
                if self._list_into(found, child, base, inside, pattern, recursive, limit, depth + 1):
                    return True
            finally:
                os.close(child)
        return False


def _parts(relative: str) -> list[str]:
    return [part for part in relative.split("/") if part not in ("", ".")]


def _climbs(relative: str) -> bool:
    return relative == ".." or relative.startswith("../")


def _check_lengths(relative: str) -> None:
    if len(os.fsencode(relative)) > PATH_MAX:
        raise ToolValidationError(f"path {relative[:80]!r}... is longer than {PATH_MAX:,} bytes", code="name_too_long")
    for part in _parts(relative):
        if len(os.fsencode(part)) > NAME_MAX:
            raise ToolValidationError(
                f"the name {part[:40]!r}... in path {relative[:80]!r} is longer than {NAME_MAX} bytes",
                code="name_too_long",
            )


def os_error(exc: OSError, path: str, doing: str) -> ToolError:
    """What an error of the system means for a step that was ``doing`` something to ``path``."""
    if exc.errno == errno.ENAMETOOLONG:  # a file system of shorter names than Linux's own bound
        return ToolValidationError(f"cannot {doing} {path!r}: a name in it is too long", code="name_too_long")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return ToolError(f"cannot {doing} {path!r}: {exc.strerror or exc}", code="disk_full", retryable=True)
    return ToolError(f"cannot {doing} {path!r}: {exc.strerror or exc}", code="io_error")


def _path_error(exc: OSError, relative: str) -> ToolError:
    if exc.errno in (errno.ELOOP, errno.EMLINK):
        return ToolValidationError(
            f"path {relative!r} goes through a symbolic link; links are not followed in the workspace", code="symlink"
        )
    if exc.errno == errno.ENOTDIR:
        # O_DIRECTORY|O_NOFOLLOW on a link also gives ENOTDIR on some systems: either way, not a directory.
        return ToolValidationError(f"a part of {relative!r} is not a directory", code="not_a_directory")
    if exc.errno == errno.ENOENT:
        return ToolValidationError(f"path {relative!r} does not exist in the workspace", code="not_found")
    if exc.errno == errno.EISDIR:
        return ToolValidationError(f"{relative!r} is a directory", code="is_a_directory")
    return os_error(exc, relative, "open")


def rename2(parent: int, source: str, target: str, flags: int) -> None:
    """renameat2 within the directory ``parent``."""
    if _libc.renameat2(parent, os.fsencode(source), parent, os.fsencode(target), flags) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), target)


def _delete_checked(
    parent: int, name: str, relative: str, sha256: str | None, written: AsWritten | None, token: str, marks: Marks
) -> tuple[bool, str]:
    """Deletes the file ``name`` only if it is a regular file (of bytes ``sha256``, as ``written``, if given). It is
    first renamed to a random name, then checked there and unlinked by that name: checked at its own name and then
    unlinked by it, a file another process put there (or wrote in place) after the check was the one deleted, the
    user's new file lost to an undo. One that is not the file asked of goes back to its name, if that is still free;
    else (and if the check fails) the delete's answer, or its error, says where it stays."""
    aside = aside_name(name, token)
    try:
        rename2(parent, name, aside, RENAME_NOREPLACE)
    except FileNotFoundError:
        return False, "already absent"
    except OSError as exc:
        raise _path_error(exc, relative) from None
    marks.mark(parent, aside)  # put back by a sweep if its worker is lost, only so
    try:
        why = _not_its_file(parent, aside, relative, sha256, written)
    except BaseException as exc:
        stays = _put_back(parent, aside, name, relative, marks)
        if not stays:
            raise
        # A directory (or a FIFO) swapped in and refused, a read failing mid-hash: the error names where it is.
        error = os_error(exc, relative, "check") if isinstance(exc, OSError) else exc
        if isinstance(error, ToolError):
            error.args = (f"{error}; {stays}",)
        if error is exc:
            raise
        raise error from exc
    if why:
        stays = _put_back(parent, aside, name, relative, marks)
        return False, f"{why}; {stays}" if stays else why
    marks.unmark(parent, aside)
    os.unlink(aside, dir_fd=parent)
    return True, "deleted"


def cut_name(name: str, most: int = TEMP_NAME_BYTES) -> str:
    """``name`` cut to its first ``most`` bytes in the system's encoding, at a character's end: cut inside one, the
    hidden name of a file being written or deleted showed as '\\udcc3' where the user's name had an accented
    letter. A byte of a name that is no UTF-8 (``\\udc80``-``\\udcff``) is a character of one byte."""
    if len(os.fsencode(name)) <= most:
        return name
    size = 0
    for at, char in enumerate(name):
        size += len(os.fsencode(char))
        if size > most:
            return name[:at]
    return name


def aside_name(name: str, token: str) -> str:
    """A checked delete's name for the file ``name`` while it checks it; ``token``: ASIDE_TOKEN_BYTES random bytes."""
    return f".{cut_name(name)}.{token}{ASIDE_SUFFIX}"


def temp_name(name: str, token: str) -> str:
    """A write's name for the file ``name`` until it is whole; ``token``: ASIDE_TOKEN_BYTES random bytes."""
    return f".{cut_name(name)}.{token}{TEMP_SUFFIX}"


def ours_of(entry: str, suffix: str, token_bytes: tuple[int, ...] = (ASIDE_TOKEN_BYTES,)) -> str | None:
    """The name (cut, as ``cut_name``) whose temp, aside or back file ``entry`` is, by its form
    ``.<name>.<hex of one of token_bytes>.<suffix>``; None for any other name."""
    for size in token_bytes:
        tail = 2 * size + len(suffix)
        if not (entry.startswith(".") and entry.endswith(suffix) and len(entry) > tail + 2) or entry[-tail - 1] != ".":
            continue
        if not entry[-tail:][: 2 * size].strip("0123456789abcdef"):
            return entry[1 : -tail - 1]
    return None


def left_behind(parent: int, entry: str, owners: tuple[int, ...], marks: Marks) -> bool:
    """Whether ``entry`` (named as ours) is a regular file of this worker's user, unchanged for LEFT_AFTER_S, that a
    worker marked as its own (orchestra/workspace_marks.py): one a worker left when it died, never a write or delete
    under way (its file changes, and a rename aside changes its ctime), nor a user's file of a name of that form."""
    return unchanged_since_lost(parent, entry, owners) and marks.made(parent, entry)


def unchanged_since_lost(parent: int, entry: str, owners: tuple[int, ...]) -> bool:
    """Whether ``entry`` is a regular file of this worker's user (or the sandbox's), unchanged for LEFT_AFTER_S."""
    try:
        info = os.stat(entry, dir_fd=parent, follow_symlinks=False)
    except OSError:
        return False
    return (
        stat.S_ISREG(info.st_mode)
        and info.st_uid in (os.geteuid(), *owners)
        and time.time() - max(info.st_mtime, info.st_ctime) > LEFT_AFTER_S
    )


def _remove_left_temps(parent: int, name: str, relative: str, owners: tuple[int, ...], marks: Marks) -> None:
    """The temp files of ``name`` a write left when its worker died (SIGKILL mid-write) go at the next write or delete
    of it: they stayed in the workspace for ever, hidden copies of what the run wrote."""
    cut = cut_name(name)
    with contextlib.suppress(OSError):
        for entry in os.listdir(parent):
            if ours_of(entry, TEMP_SUFFIX) == cut and left_behind(parent, entry, owners, marks):
                marks.unmark(parent, entry)
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry, dir_fd=parent)
                log.info("a write's temp file its worker left removed", path=relative, temp=entry)


def _left_aside(parent: int, name: str, marks: Marks) -> list[str]:
    """The names a delete of ``name`` gave it to check it and never deleted nor put back (its worker lost between):
    held under the path's lock (orchestra/tools/replaced_lock.py), no delete under way has one. Cut at a character's
    end, or (an older worker's) at TEMP_NAME_BYTES bytes."""
    whole = os.fsencode(name)
    found = []
    for entry in os.listdir(parent):
        of = ours_of(entry, ASIDE_SUFFIX)
        kept = os.fsencode(of) if of is not None else None
        if kept is None or not whole.startswith(kept):
            continue
        if (kept == whole or len(kept) >= CUT_KEEPS_AT_LEAST) and marks.made(parent, entry):  # maybe a longer name's
            found.append(entry)
    return sorted(found)


def _back_from_aside(parent: int, name: str, left: list[str], marks: Marks) -> bool:
    """Whether a file a delete left aside, cut short between moving it there and deleting it (its worker lost), is
    back at ``name``, to be checked as asked: its undo said "already absent" of a file the user had changed, hidden
    for good under a name no one knew. Of a name as long as a cut one (``CUT_KEEPS_AT_LEAST``), never: its hidden
    name is also that of every longer name it begins (``x`` * 200 and ``x`` * 200 + ``y``), whose file went there."""
    if len(os.fsencode(name)) >= CUT_KEEPS_AT_LEAST:
        return False  # said (``_still_aside``), as one of a name cut
    for aside in left:
        if aside[1 : -2 * ASIDE_TOKEN_BYTES - len(ASIDE_SUFFIX) - 1] != name:
            continue  # of a name cut: maybe of another name beginning alike (it stays, said), never put at this one
        try:
            rename2(parent, aside, name, RENAME_NOREPLACE)
        except FileNotFoundError:
            continue
        except FileExistsError:
            return True  # a file was put at the name meanwhile: that one is checked
        marks.unmark(parent, name, was=aside)
        return True
    return False


def _still_aside(parent: int, relative: str, left: list[str]) -> str:
    """Said of the files earlier deletes left aside and that are still there (another file at their name): never
    deleted, they were hidden for good under a name no one knew."""
    stays = [posixpath.join(posixpath.dirname(relative), aside) for aside in left if exists_at(parent, aside)]
    if not stays:
        return ""
    log.warning("files an earlier delete left aside stay", path=relative, stays=stays)
    return f"; a file an earlier delete of it moved aside and never ended (its worker lost) stays as {stays[0]!r}" + (
        f" (and {len(stays) - 1} more like it)" if len(stays) > 1 else ""
    )


def exists_at(parent: int, name: str) -> bool:
    """Whether ``name`` is anything (a link not followed) in the directory ``parent``."""
    try:
        os.stat(name, dir_fd=parent, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return True


def _put_back(parent: int, aside: str, name: str, relative: str, marks: Marks) -> str:
    """``aside`` back at ``name`` without replacing what another process made there meanwhile: "" once back, else
    where it stays, said (any failure: one other than a file at the name hid the error before it)."""
    stays = posixpath.join(posixpath.dirname(relative), aside)
    try:
        rename2(parent, aside, name, RENAME_NOREPLACE)
        marks.unmark(parent, name, was=aside)
        return ""
    except FileExistsError:
        cause = "another file was put at its name meanwhile"
    except FileNotFoundError:
        cause = "another process took it meanwhile from"
        log.warning("a file not deleted was taken from aside", path=relative, was=stays)
        return f"{cause} {stays!r}"
    except OSError as exc:
        cause = f"it could not go back to its name ({exc.strerror or exc})"
    log.warning("a file not deleted could not go back", path=relative, stays=stays, cause=cause)
    return f"{cause}, so it stays as {stays!r}"


def _not_its_file(parent: int, aside: str, relative: str, sha256: str | None, written: AsWritten | None) -> str | None:
    """Why the file renamed to ``aside`` is not the regular file (of bytes ``sha256``, as ``written``) a delete was
    asked of; None: it is. Opened without blocking, its type checked on the descriptor: a FIFO there held the
    delete's thread for ever (a few such undos took every thread of the worker). Bytes written in place while it is
    hashed (by a program that had it open) make it another file: its size or time of change differ after."""
    try:
        fd = os.open(aside, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=parent)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENXIO, errno.EISDIR):  # a link, a socket, a directory (opened to write)
            raise ToolValidationError(f"{relative!r} is not a regular file", code="not_a_file") from None
        raise _path_error(exc, relative) from None
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            raise ToolValidationError(f"{relative!r} is not a regular file", code="not_a_file")
        if written is not None and written.file is not None and written.file != (before.st_dev, before.st_ino):
            return "another file was put at its name since it was written; kept"
        if written is not None and written.access is not None and written.access != access_of(before):
            return "its mode or owner changed since it was written; kept"
        if written is not None and written.size is not None and written.size != before.st_size:
            return "changed since it was written; kept"  # a file of gigabytes put there is not read
        if not sha256:
            return None
        os.set_blocking(fd, True)
        return None if still_hashes(fd, sha256) else "changed since it was written; kept"
    finally:
        os.close(fd)


def access_of(info: os.stat_result) -> tuple[int, int, int]:
    """A file's mode, owner and group: what a ``chmod`` or a ``chown`` changes."""
    return stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid


def still_hashes(fd: int, sha256: str) -> bool:
    """Whether the regular file ``fd`` (blocking) is of bytes ``sha256``, none written into it while it was read: a
    program holding it open wrote into a part already read, and a file of other bytes was taken for the one checked."""
    before = os.fstat(fd)
    os.lseek(fd, 0, os.SEEK_SET)
    return sha256_of(fd) == sha256 and _marks(os.fstat(fd)) == _marks(before)


def _marks(info: os.stat_result) -> tuple[int, int, int]:
    """What a write to a file changes, whoever writes it (its time of change is set by the system alone)."""
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns


def _same_access(fd: int, replaced: os.stat_result, same_owner: bool) -> None:
    """The written file gets who may read it from the file it replaces: a user's 0600 file written over was
    0644, its new content (often made of the old: "summarize key.txt into key.txt") readable by all. Its
    permissions only, never set-id bits (a root worker's plan wrote bytes into a set-uid program); its owner
    too where the worker is root and gives files to no sandbox uid (root's file, the user locked out)."""
    if same_owner and os.geteuid() == 0 and stat.S_ISREG(replaced.st_mode):
        os.fchown(fd, replaced.st_uid, replaced.st_gid)
    if stat.S_ISREG(replaced.st_mode):
        os.fchmod(fd, stat.S_IMODE(replaced.st_mode) & 0o777)


def _replace(parent: int, temp: str, name: str) -> None:
    os.replace(temp, name, src_dir_fd=parent, dst_dir_fd=parent)


def _read_up_to(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    left = limit
    while left > 0 and (chunk := os.read(fd, min(left, HASH_CHUNK))):
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _lock(fd: int, relative: str) -> None:
    """An exclusive flock on ``fd``, waited for up to LOCK_WAIT_S."""
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise ToolError(
                    f"{relative!r} stayed locked by another process for {LOCK_WAIT_S:g} s",
                    retryable=True,
                    code="file_locked",
                ) from None
            time.sleep(0.01)


def _write_all(fd: int, data: bytes, written: list[int] | None = None) -> None:
    """All of ``data``; ``written[0]``: how much of it, as it goes (what an append failing mid-way left)."""
    view = memoryview(data)
    while view:
        count = os.write(fd, view)
        view = view[count:]
        if written is not None:
            written[0] += count


def _take_back(fd: int, size: int, written: int, relative: str) -> None:
    """An append that failed mid-way is whole or not at all: a disk that filled (or a file size limit) left
    a part of the text at the end, and a retry appended it again after that part. The part is cut only if
    the file holds nothing else since: a program appending to it meanwhile (a sandboxed one takes no lock)
    had its bytes cut with ours; they are worth more than our part's absence."""
    if os.fstat(fd).st_size == size + written:
        os.ftruncate(fd, size)
    else:
        log.warning("an append failed mid-way while another writer appended: its part was left", path=relative,
                    written=written)  # fmt: skip


def sha256_of(fd: int) -> str:
    digest = hashlib.sha256()
    while chunk := os.read(fd, HASH_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()
