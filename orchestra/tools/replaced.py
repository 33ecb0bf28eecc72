"""What an overwrite replaced, kept for its undo: ``write_file``'s ``previous`` (when its plan's undo reads it),
given back to ``delete_file``.

Where: beside the workspace (its real path), in ``.<workspace>.replaced/<run>/`` (0700, the worker's own: a
folder another user made, or open to others, keeps nothing; nor does a workspace at ``/``): on its disk, so keeping and putting back
are renames whatever the file's size (a copy only where the workspace is a disk of its own), and out of reach of
the file tools (confined to the workspace) and of sandboxed programs (which see the workspace alone), so no step
reads or changes a copy. ``<run>`` is a digest of the workflow id (the runs of a chain share it); a copy's name,
``previous``, a digest of the run id and the write's activity id, the same at each attempt: a retry finds what its
earlier attempt kept, and a plan cannot name another run's copies. Beside each copy, ``<previous>.json`` says its
path, the SHA-256 the write wrote (the undo's check, whatever the plan gives it), the device and inode of the file
it wrote and of the one it replaced (another write of the same bytes is another file), its size (a file of another
size is not read), its run (whoever reads the record), and how far the write got (``pending``, ``kept``, or
``absent``: nothing was there).

How: the written temp file and the file at the name change places in one step (renameat2's RENAME_EXCHANGE), so
what is kept is exactly what the write replaced, even if the name was changed a moment before; a link or
anything but a regular file found so is changed back and the write refused. The undo puts the copy back the same
way, only if the file is still the one the write made (its SHA-256, then its inode and its SHA-256 again once
exchanged), else keeps it. A copy made across disks keeps the file's mode (and owner, for a worker running as root).
A worker lost between the steps leaves ``pending``: the next attempt (of the write or of its undo) settles it from
what is on disk. The run's end removes its folder (``replaced_forget.forget_run``) but for the copies its undos did
not put back (each said where it stays), those of writes and undos that did not finish, and those of other runs of
its workflow id; a folder untouched for ``KEPT_FOR_S`` is removed by the next write that keeps something, or a
worker's start (``replaced_sweep``: in a thread of its own, never a folder a write came back to meanwhile). The
file-level helpers all three share are in ``replaced_files``.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import posixpath
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

import structlog
from temporalio import activity

from orchestra import workspace
from orchestra.disk_space import require_room
from orchestra.errors import ToolError, ToolValidationError
from orchestra.tools.replaced_files import (
    TOKEN_CHARS,
    _access,
    _copy_fd,
    _digest,
    _Hashed,
    _identity,
    _own,
    _regular_or_absent,
    _root,
    _same,
    _same_access,
    _same_size,
    _sha256_at,
    _sha256_of_path,
    _still_found,
    _synced,
    _synced_folders,
)
from orchestra.tools.replaced_sweep import KEPT_FOR_S, _sweep
from orchestra.workspace import Put, Workspace, cut_name, exists_at, os_error, sha256_of

log = structlog.get_logger("orchestra.tools.replaced")
# The most a write copies across disks to keep what it replaces (a workspace that is a disk of its own: a
# container's volume): a file of 20 GB took longer than the write's timeout, and a retry ran beside the copy.
MAX_COPIED_BYTES = 1 << 30
NO_ROOM = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)  # a copy that cannot be made: the write keeps nothing
RENAME_NOREPLACE, RENAME_EXCHANGE = workspace.RENAME_NOREPLACE, workspace.RENAME_EXCHANGE
_rename2 = workspace.rename2
# ``returning``: an undo is putting the copy back (it may be in the workspace, as ``.<name>.<token>.back``).
# ``folded``: the write's copy went, the undo of the write it wrote over having put back what that one replaced.
State = Literal["pending", "kept", "absent", "unkept", "returning", "folded"]
UNFINISHED = ("pending", "returning")  # the user's bytes may be in the workspace's temp file: never forgotten
FOLDED = "put back, with what the write before it replaced, by that write's undo (undone first)"


def _call() -> tuple[str, str]:
    """The chain and the call: in an activity its workflow id and its run and activity ids (the same at each
    attempt); elsewhere (a tool called in-process) one folder and a new name each time."""
    if activity.in_activity():
        info = activity.info()
        return _digest(info.workflow_id or ""), _digest(info.workflow_run_id or "", info.activity_id)
    return "outside-a-run", os.urandom(TOKEN_CHARS // 2).hex()


def _run() -> str:
    """The run of the call (its record's ``run``): none outside a run."""
    return _digest(activity.info().workflow_run_id or "") if activity.in_activity() else ""


@dataclass
class Keeper:
    """One write's (or its undo's) copy: ``folder`` is its run's, ``token`` its name there."""

    files: Workspace
    folder: Path
    token: str
    written: str = ""  # the SHA-256 the write wrote, said in the record
    run: str = ""  # a digest of the run id of the write (its chain's end keeps another run's copies)
    # The write's file and the one it replaced (device, inode): another write of the same bytes is another file.
    file: list[int] | None = None
    replaced: list[int] | None = None
    size: int | None = None  # of the write's file: one of another size is not its, read or not
    # Its mode, owner and group: the write's file chmod'ed or given away since is changed, kept as any change.
    access: list[int] | None = None
    back: str = ""  # the workspace's name of the copy while this undo exchanges it (its record's ``temp``)

    @classmethod
    def of_call(cls, files: Workspace, previous: str | None = None) -> Keeper:
        run, token = _call()
        if previous is not None:
            if len(previous) != TOKEN_CHARS or previous.strip("0123456789abcdef"):
                raise ToolValidationError(
                    f"previous {previous[:80]!r} is not what a write_file said (its `previous`)", code="bad_previous"
                )
            token = previous
        return cls(files, _root(files) / run, token, run=_run())

    # --- the record ----------------------------------------------------------------------------------

    def state(self, relative: str) -> dict[str, Any] | None:
        """The record; one that cannot be read (its data lost in a crash: only an unfinished state is synced)
        is an error, never taken for no record (the undo would keep the file and say nothing of the copy)."""
        try:
            said = _record(self.folder / f"{self.token}.json")
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise ToolError(f"its record cannot be read ({type(exc).__name__})", code="io_error") from None
        if said["path"] != relative:  # a plan's undo naming another write's copy
            raise ToolValidationError(
                f"previous {self.token!r} kept what was at {said['path']!r}, not at {relative!r}", code="bad_previous"
            )
        return dict(said)

    def _of_record(self, said: dict[str, Any]) -> None:
        """The write's own word, whoever reads its record (an undo in another run of the id, a retry): the record
        stays its run's (the run's end removes only its own copies) and names its files."""
        self.written, self.run = said.get("sha256") or self.written, said.get("run", self.run)
        self.file, self.replaced, self.size = said.get("file"), said.get("replaced"), said.get("size")
        self.access = said.get("access")

    def _say(self, relative: str, state: State, temp: str = "", **more: object) -> None:
        """The record; on the disk before what it announces (``pending``, ``returning``: the user's bytes are
        about to be in the workspace under ``temp``, a name only this record says), if a crash comes between."""
        record = self.folder / f"{self.token}.json"
        part = record.with_suffix(".part")
        said = {"path": relative, "state": state, "temp": temp, "sha256": self.written, "run": self.run,
                "file": self.file, "replaced": self.replaced, "size": self.size, "access": self.access,
                **more}  # fmt: skip
        with part.open("w") as writing:
            writing.write(json.dumps(said))
            if state in UNFINISHED:
                writing.flush()
                os.fsync(writing.fileno())
        os.replace(part, record)
        if state in UNFINISHED:
            _synced_folders(self.folder)

    def forget(self) -> None:
        for name in (self.token, f"{self.token}.json", f"{self.token}.copying"):
            with contextlib.suppress(FileNotFoundError):
                (self.folder / name).unlink()

    def ready(self) -> bool:
        """Whether the folder is there (made, 0700, the worker's own) and old folders swept; false: nothing can be
        kept (said in the log)."""
        root = self.folder.parent
        try:
            if self.files.root.resolve() in root.parents:  # a workspace at /: its plans would reach the copies
                raise OSError(errno.EPERM, "the workspace holds its parent", str(root))
            for folder in (root, self.folder):
                folder.mkdir(mode=0o700, exist_ok=True)
                _own(folder)
        except OSError as exc:
            log.warning("what a write replaces cannot be kept", folder=str(root), error=str(exc))
            return False
        os.utime(self.folder)
        _sweep(root, self.folder)
        return True

    def _trusted(self) -> bool:
        """Whether the folder is the worker's own: a write keeps nothing in another's (``ready``), and an undo
        given a token of the right shape put back what that folder's maker had put there."""
        try:
            for folder in (self.folder.parent, self.folder):
                _own(folder)
        except OSError:
            return False
        return True

    # --- moving a copy between the folder and the workspace ------------------------------------------

    def _take(self, parent: int, temp: str) -> None:
        """The file ``temp`` of ``parent`` into the folder (copied if the workspace is another disk)."""
        try:
            os.rename(temp, str(self.folder / self.token), src_dir_fd=parent)
            return
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
        source = os.open(temp, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=parent)
        try:
            if not stat.S_ISREG(os.fstat(source).st_mode):  # a FIFO swapped in would hold the worker for ever
                raise ToolValidationError(f"{temp!r} is not a regular file", code="not_a_file")
            os.set_blocking(source, True)
            _copy(source, self.folder / self.token)
        finally:
            os.close(source)
        os.unlink(temp, dir_fd=parent)

    def _give(self, parent: int, temp: str) -> None:
        """The copy back into ``parent`` as ``temp``."""
        kept = str(self.folder / self.token)
        try:
            os.rename(kept, temp, dst_dir_fd=parent)
            return
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
        source = os.open(kept, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            if not stat.S_ISREG(os.fstat(source).st_mode):  # the folder is the worker's own: never, but never a hang
                raise ToolValidationError(f"the copy {self.token!r} is not a regular file", code="not_a_file")
            os.set_blocking(source, True)
            # The copy still kept: ``temp`` is a part an attempt lost mid-copy left (it stopped every retry).
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp, dir_fd=parent)
            target = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644,
                             dir_fd=parent)  # fmt: skip
            try:
                require_room(target, os.fstat(source).st_size)
                _copy_fd(source, target)
            except BaseException:
                os.unlink(temp, dir_fd=parent)  # a disk full left a part in the workspace
                raise
            finally:
                os.close(target)
        finally:
            os.close(source)
        os.unlink(kept)

    # --- the write -------------------------------------------------------------------------------------

    def earlier(self, relative: str, written_sha256: str) -> State | None:
        """What an earlier attempt of this write did (``pending`` settled from the disk); None: nothing."""
        self.written = written_sha256
        said = self.state(relative)
        if said is None:
            return None
        self._of_record(said)
        self.written = written_sha256
        state: State = said["state"]
        if state != "pending":
            return state
        with self.files.directory(posixpath.dirname(relative) or ".") as parent:
            return self._settle(parent, relative, said["temp"], written_sha256)

    def _settle(self, parent: int, relative: str, temp: str, written_sha256: str) -> State | None:
        if (self.folder / self.token).exists():  # moved in, not yet said
            self._say(relative, "kept")
            return "kept"
        try:
            fd = os.open(temp, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=parent)
        except FileNotFoundError:  # renamed onto a name that had nothing
            self._say(relative, "absent")
            return "absent"
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):  # swapped in by another process while no worker was there
                raise ToolValidationError(f"{temp!r}, the write's temp file, is not a regular file", code="not_a_file")
            # Its own file (the record names it): the user's of the same bytes, exchanged, is kept as any other.
            ours = _same(self.file, _identity(info)) and sha256_of(fd) == written_sha256
        finally:
            os.close(fd)
        if ours:  # never put at the name (or, of an older worker's record, the same bytes were there): again
            os.unlink(temp, dir_fd=parent)
            self.forget()
            return None
        self.replaced = _identity(info)
        try:
            self._take(parent, temp)  # what the exchange took out of the name
        except OSError as exc:
            name = posixpath.basename(relative)
            if exc.errno not in NO_ROOM or not exists_at(parent, name):
                raise
            # No room to keep it: it goes back to its name, and the write starts again (to keep nothing). What the
            # exchange takes out is checked after it: a file saved at the name after a check was the one deleted.
            _rename2(parent, temp, name, RENAME_EXCHANGE)
            if not _still_found(parent, temp, None, written_sha256):
                _rename2(parent, temp, name, RENAME_EXCHANGE)
                raise
            os.unlink(temp, dir_fd=parent)
            self.forget()
            return None
        _synced(parent, self.folder)
        self._say(relative, "kept")
        return "kept"

    def put(self, relative: str) -> tuple[Put, list[State]]:
        """``Workspace.write``'s ``put`` that keeps what it replaces, and what it found (filled by the call)."""
        found: list[State] = []

        def put(parent: int, temp: str, name: str) -> None:
            self._written_file(os.stat(temp, dir_fd=parent, follow_symlinks=False))
            self._say(relative, "pending", temp)
            try:
                met = _exchange_or_place(parent, temp, name)
            except OSError as exc:
                self.forget()  # the temp file goes (Workspace.write): a record left would say "absent"
                if exc.errno not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
                    raise
                log.warning("this disk cannot exchange two files: what the write replaces is not kept", error=str(exc))
                os.replace(temp, name, src_dir_fd=parent, dst_dir_fd=parent)
                found.append("unkept")
                return
            if met == "absent":
                self._say(relative, "absent")
                found.append("absent")
                return
            replacing = os.stat(temp, dir_fd=parent, follow_symlinks=False)
            if not stat.S_ISREG(replacing.st_mode):
                _rename2(parent, temp, name, RENAME_EXCHANGE)  # swapped in meanwhile: it goes back, untouched
                self.forget()
                raise ToolValidationError(f"{relative!r} is not a regular file", code="not_a_file")
            try:
                self._take(parent, temp)
            except OSError as exc:  # a copy across disks failed: the user's file goes back to its name, untouched
                _rename2(parent, temp, name, RENAME_EXCHANGE)
                self.forget()  # its record, and a part copied; the temp file (the write's) goes (Workspace.write)
                if exc.errno not in NO_ROOM:
                    raise
                log.warning("no room to keep what the write replaces: not kept", path=relative, error=str(exc))
                os.replace(temp, name, src_dir_fd=parent, dst_dir_fd=parent)
                found.append("unkept")
                return
            _synced(parent, self.folder)  # the file at its name, the copy in its folder: both there after a crash
            self.replaced = _identity(replacing)
            self._say(relative, "kept")
            found.append("kept")

        return put, found

    def _written_file(self, info: os.stat_result) -> None:
        self.file, self.size, self.access = _identity(info), info.st_size, _access(info)

    def put_again(self, relative: str, found: State) -> Put:
        """``Workspace.write``'s ``put`` of an attempt whose earlier one kept the copy (or made the file): its file
        replaces that one's, and the record names it (an undo tells the write's file from another of the same
        bytes: of a file it made, the retry's was taken for another file and kept)."""

        def put(parent: int, temp: str, name: str) -> None:
            self._written_file(os.stat(temp, dir_fd=parent, follow_symlinks=False))
            os.replace(temp, name, src_dir_fd=parent, dst_dir_fd=parent)
            self._say(relative, found)

        return put

    # --- the undo --------------------------------------------------------------------------------------

    def put_back(self, relative: str, written_sha256: str | None) -> tuple[bool, str] | State | None:
        """Puts the copy back if the file is still the write's: (put back, why); the state when no copy was
        kept (``absent``: the write made the file; None: nothing is known of it). What the write wrote is its
        record's word: a plan's undo giving no SHA-256 (or another) put the copy over a file changed since.
        Whatever stops it (the path's folder a link now, a full disk) says where the copy stays."""
        try:
            said = self.state(relative) if self._trusted() else None
        except ToolValidationError:  # another path's copy: none of this undo's
            raise
        except ToolError as exc:  # its record cannot be read
            exc.args = (self.kept_said(str(exc), relative),)
            raise
        if said is None:
            return None
        if said["state"] == "absent":
            self._of_record(said)  # the file it made: its undo checks its size and access (``as_written``)
            return "absent"
        if said["state"] == "folded":
            return True, FOLDED
        self._of_record(said)
        try:
            done = self._put_back(relative, said.get("sha256") or written_sha256 or "", said)
        except ToolError as exc:
            exc.args = (self.kept_said(str(exc), relative),)
            raise
        except OSError as exc:  # a full disk putting the copy back: said as a write says it (disk_full)
            error = os_error(exc, relative, "undo the write to")
            error.args = (self.kept_said(str(error), relative),)
            raise error from exc
        if isinstance(done, tuple) and not done[0]:
            return False, self.kept_said(done[1], relative)
        return done

    def _put_back(self, relative: str, written_sha256: str, said: dict[str, Any]) -> tuple[bool, str] | State | None:
        self.written = written_sha256
        with self.files.directory(posixpath.dirname(relative) or ".") as parent:
            if said["state"] == "pending":
                if not written_sha256:
                    return None
                if self._settle(parent, relative, said["temp"], written_sha256) != "kept":
                    again = self.state(relative)
                    if again is None or again["state"] == "absent":
                        return None if again is None else "absent"
                    return self._put_back(relative, written_sha256, again)
            return self._swap_back(parent, relative, written_sha256)

    def kept_said(self, why: str, relative: str) -> str:
        """``why`` an undo did not put its copy back, and where the copy stays (the end of the run keeps it, the
        only way back to the user's bytes): named beside the workspace, out of reach of the file tools, or in the
        workspace, where an undo stopped mid-exchange left it."""
        if (self.folder / self.token).exists():
            return f"{self.kept_at()}: {why}"
        back = self.back_at(relative)
        with contextlib.suppress(ToolError, OSError), self.files.directory(posixpath.dirname(back) or ".") as parent:
            if exists_at(parent, posixpath.basename(back)):
                return f"what the write replaced is in the workspace, as {back!r}: {why}"
        return why

    def back_at(self, relative: str) -> str:
        """The path of the copy in the workspace while this undo exchanges it with the file ``relative``: the name
        this undo gave it, else the one its record says an earlier attempt gave (an older worker's: the token's)."""
        back = self.back
        if not back:
            with contextlib.suppress(ToolError, OSError):
                back = _returning_to(self.state(relative) or {})
        return posixpath.join(posixpath.dirname(relative), back or self.back_name(posixpath.basename(relative)))

    def as_written(self) -> workspace.AsWritten:
        """What the record says of the file the write made, for the checked delete of its undo."""
        access, file = self.access, self.file  # none in an older worker's record
        return workspace.AsWritten(
            self.size,
            (access[0], access[1], access[2]) if access and len(access) == 3 else None,
            (file[0], file[1]) if file and len(file) == 2 else None,
        )

    def holds_copy(self) -> bool:
        """Whether the copy is in its folder (a write that failed after keeping it says where)."""
        return (self.folder / self.token).exists()

    def kept_at(self) -> str:
        """Where the copy stays, said first in a reason: after it come texts the plan chose (a path may read
        "kept beside the workspace, in ..." itself), so the first place a reader meets is the real one."""
        where = f"{self.folder.parent.name}/{self.folder.name}/{self.token}"
        return f"what the write replaced is kept beside the workspace, in {where}, for {KEPT_FOR_S / 86400:.0f} days"

    def back_name(self, name: str, fresh: bool = False) -> str:
        """The workspace's hidden name of the copy while an undo exchanges it with the file ``name``: ``fresh``, of
        random bytes (said in the ``returning`` record before the copy goes there); else the name an older worker
        gave, of the write's token (a plan's shell step could compute it from ``previous`` and put a directory
        there: every attempt of that undo failed with "Is a directory")."""
        mark = os.urandom(TOKEN_CHARS // 2).hex() if fresh else self.token[:12]
        return f".{cut_name(name)}.{mark}{workspace.BACK_SUFFIX}"

    def _swap_back(self, parent: int, relative: str, written_sha256: str | None) -> tuple[bool, str]:
        name = posixpath.basename(relative)
        said = self.state(relative) or {}
        earlier = _returning_to(said)
        kept = (self.folder / self.token).exists()
        if kept:  # a part an attempt lost mid-copy left goes (``_give``); anything else there stays, a new name used
            back = earlier if earlier and _regular_or_absent(parent, earlier) else self.back_name(name, fresh=True)
        else:  # an earlier attempt was lost on the way (an older worker's record: the name it gave)
            back = earlier or self.back_name(name)
        self.back = back
        marks = self.files.marks()
        if not kept:
            if not exists_at(parent, back):
                self._fold(relative, said.get("folds", []))
                self.forget()
                return True, "what the write replaced was put back"
            if _sha256_at(parent, back) in {written_sha256, said.get("over")} - {None, ""}:  # swapped already
                os.unlink(back, dir_fd=parent)
                _synced(parent)
                self._fold(relative, said.get("folds", []))
                self.forget()
                return True, "what the write replaced was put back"
        try:
            fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=parent)
        except FileNotFoundError:
            return False, "gone since it was written; what the write replaced is not put back"
        except OSError as exc:
            if exc.errno != errno.ELOOP:
                raise
            raise ToolValidationError(f"{name!r} is not a regular file", code="not_a_file") from None
        try:
            found = os.fstat(fd)
            if not stat.S_ISREG(found.st_mode):
                raise ToolValidationError(f"{name!r} is not a regular file", code="not_a_file")
            over, folds = written_sha256, list[str]()
            if written_sha256:
                written_over = self._written_over(relative, found, _Hashed(fd))
                if written_over is None:
                    return False, "changed since it was written; kept, what the write replaced not put back"
                if written_over[1]:  # later writes over this one's, not undone yet: they are undone with it
                    over, folds = written_over
        finally:
            os.close(fd)
        if (self.folder / self.token).exists():
            # Said before the copy leaves the folder: the run's end keeps a record (and its folder) saying so,
            # whatever becomes of this thread (an undo timed out goes on in its thread).
            self._say(relative, "returning", back, over=over, folds=folds)
            self._give(parent, back)
            marks.mark(parent, back)  # put back by a sweep if this worker is lost before the exchange, only so
        try:
            _rename2(parent, back, name, RENAME_EXCHANGE)
        except FileNotFoundError:
            marks.unmark(parent, back)
            self._take(parent, back)
            self._say(relative, "kept")
            return False, "gone since it was written; what the write replaced is not put back"
        marks.unmark(parent, name, was=back)
        # Replaced, or written to in place, between the check and the swap: what was taken out is not the write's.
        if not _still_found(parent, back, found, over):
            _rename2(parent, back, name, RENAME_EXCHANGE)
            self._take(parent, back)
            self._say(relative, "kept")
            return False, "changed while it was put back; kept, what the write replaced not put back"
        os.unlink(back, dir_fd=parent)
        _synced(parent)  # the user's file back at its name before its copy's record goes: a crash lost the put-back
        self._fold(relative, folds)
        self.forget()
        return True, "what the write replaced was put back"

    def _written_over(self, relative: str, info: os.stat_result, hashed: _Hashed) -> tuple[str, list[str]] | None:
        """Whose file ``relative`` is (``info``, its bytes ``hashed``, read only if its size is a write's: a file
        of gigabytes put in its place held the undo past its activity's timeout): this write's (its SHA-256 and
        an empty list), or that of later writes of its run, each over the one before it (its copy holds that
        one's file), leading back to this one's (their tokens, the latest first; undone with this one).
        Parallel writes to one path are undone in the order they ended, not the order they exchanged: the first
        write's undo, run first, found the second's bytes and kept, and the second's then put the first's bytes
        back. Bytes alike are not the same file: the first of two writes of "X", a user's edit between, took the
        second's file for its own and put its copy over it (the edit left in the second's copy). None: something
        else changed the file."""
        found, size = _identity(info), info.st_size
        if self.file == found and not _same_access(self.access, info):  # its file, chmod'ed or chown'ed since
            return None
        if _same_size(self.size, size) and _same(self.file, found) and hashed() == self.written:
            return self.written, []  # its own file (or, of an older worker's record, its bytes): no record read
        writes: list[tuple[str, dict[str, Any]]] = []  # never this write's own record: it is undone
        for record in self.folder.glob("*.json"):
            with contextlib.suppress(OSError, ValueError, KeyError):
                said = _record(record)  # one that cannot be read is none of the chain: the undo keeps
                # Only its run's: never a copy an ended run left (``left``), nor one of a run of the id
                # terminated (no end marked it): the only way back to what that run replaced.
                if (
                    said["path"] == relative
                    and said["state"] == "kept"
                    and not said.get("left")
                    and said.get("run", "") == self.run
                    and record.stem != self.token
                ):
                    writes.append((record.stem, said))
        if not _same_size(self.size, size) and not any(_same_size(said.get("size"), size) for _, said in writes):
            return None
        found_sha256 = hashed()
        claimed = any(said.get("file") == found and said["sha256"] == found_sha256 for _, said in writes)
        if found_sha256 == self.written and not claimed:  # its bytes in a file of no write (a user's save)
            return found_sha256, []
        chain: list[str] = []
        sha256 = found_sha256
        file: list[int] | None = found
        while fits := [(token, said) for token, said in writes if token not in chain
                       and said["sha256"] == sha256 and _same(said.get("file"), file)]:  # fmt: skip
            token, said = next((fit for fit in fits if fit[1].get("file") == file), fits[0])
            if not chain and said.get("file") == found and not _same_access(said.get("access"), info):
                return None  # the latest write's file, its access changed since
            try:
                sha256 = _sha256_of_path(self.folder / token)
            except (OSError, ToolError):
                return None
            file = said.get("replaced")
            chain.append(token)
            if sha256 == self.written and _same(self.file, file):
                return found_sha256, chain
        return None

    def _fold(self, relative: str, tokens: list[str]) -> None:
        """The later writes undone with this one: their copies (of the bytes of writes now undone) go, their
        records say so to their undos."""
        for token in tokens:
            later = Keeper(self.files, self.folder, token, run=self.run)
            try:
                said = later.state(relative)
            except ToolError:  # lost since it was read: its undo says it cannot read it, and where its copy is
                continue
            if said is None or said["state"] != "kept":
                continue
            later._of_record(said)
            later._say(relative, "folded")
            with contextlib.suppress(FileNotFoundError):
                (self.folder / token).unlink()


def _exchange_or_place(parent: int, temp: str, name: str) -> State:
    """``temp`` at ``name``: exchanged with what is there (``kept``: ``temp`` now holds it), or renamed into a free
    name (``absent``); a name made or removed between the two tries each says which it met."""
    for _ in range(3):
        try:
            _rename2(parent, temp, name, RENAME_EXCHANGE)
            return "kept"
        except FileNotFoundError:
            pass
        try:
            _rename2(parent, temp, name, RENAME_NOREPLACE)
            return "absent"
        except FileExistsError:
            continue
    raise ToolError(f"{name!r} kept appearing and going while written", code="io_error", retryable=True)


def _record(path: Path) -> dict[str, Any]:
    """A record as the worker wrote it; ValueError: not one (a part of one: its data lost in a crash)."""
    said = json.loads(path.read_text())
    if not isinstance(said, dict) or not isinstance(said.get("path"), str) or said.get("state") not in get_args(State):
        raise ValueError(f"{path.name} is no record")
    return said


def _returning_to(said: dict[str, Any]) -> str:
    """Where an undo put (or began copying) the copy in the workspace, as its record says; "": nowhere said."""
    return str(said["temp"]) if said.get("state") == "returning" and said.get("temp") else ""


def _copy(source: int, target: Path) -> None:
    size = os.fstat(source).st_size
    if size > MAX_COPIED_BYTES:
        raise OSError(errno.EFBIG, f"{size:,} bytes, more than {MAX_COPIED_BYTES:,} to copy across disks", str(target))
    part = target.with_suffix(".copying")  # not the record's ".part"
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        require_room(fd, size)
        _copy_fd(source, fd)
    finally:
        os.close(fd)
    os.replace(part, target)
