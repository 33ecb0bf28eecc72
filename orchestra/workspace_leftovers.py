"""What a worker that died mid-write or mid-delete (SIGKILL, its machine lost) left in the workspace under names of its
own, swept at a worker's start: a write's temp file (``.<name>.<random>.tmp``) is removed, and a file a checked delete
had moved aside (``.<name>.<random>.deleting``), or an undo was putting back (``.<name>.<random>.back``: killed
mid-exchange), goes back to its name when that is free, as the next write or delete of
that name puts it back (orchestra/workspace.py's ``_back_from_aside``); else it stays, said in the log and by the next
delete of its name. Only files named as ours, of the worker's user, unchanged for longer than any attempt runs, and
marked as made by a worker (``left_behind``, orchestra/workspace_marks.py): never a write or delete under way, nor a
user's file, whatever its name. At most ``MAX_SEEN`` entries are looked at
(a worker's start is never held long), in a thread of its own."""

from __future__ import annotations

import contextlib
import os
import threading

import structlog

from orchestra.workspace import (
    ASIDE_SUFFIX,
    ASIDE_TOKEN_BYTES,
    BACK_SUFFIX,
    BACK_TOKEN_BYTES,
    CUT_KEEPS_AT_LEAST,
    RENAME_NOREPLACE,
    TEMP_SUFFIX,
    Workspace,
    left_behind,
    ours_of,
    rename2,
    unchanged_since_lost,
)
from orchestra.workspace_marks import Marks

log = structlog.get_logger("orchestra.workspace")
MAX_SEEN = 100_000
_sweeper: list[threading.Thread] = []


def sweep(files: Workspace) -> None:
    """The sweep of what dead workers left in ``files``, started now in a thread of its own. Where the worker cannot
    mark its hidden files (no folder of its own beside the workspace: its parent not writable, the name taken, or
    another user's), said here once: what it leaves when killed is never swept, and nothing else would say so."""
    marks = files.marks()
    if not marks.usable():
        log.warning(
            "this worker cannot mark its hidden files: what a killed worker leaves in the workspace (temp, .deleting "
            "and .back files) will stay there unswept; make the folder beside the workspace writable, the worker's own, "
            "closed to others",
            folder=str(marks.folder),
            workspace=str(files.root),
        )
    sweeper = threading.Thread(target=_sweep_now, args=(files,), name="workspace-leftovers-sweep", daemon=True)
    _sweeper[:] = [sweeper]
    sweeper.start()


def sweep_done(timeout: float | None = None) -> None:
    """Waits for the sweep under way, if any."""
    for sweeper in list(_sweeper):
        sweeper.join(timeout)


def _sweep_now(files: Workspace) -> None:
    seen, owners, marks = 0, files.owners(), files.marks()
    try:
        # By descriptor, links never followed: a directory swapped for a link mid-walk never leads the sweep outside.
        for folder, dirs, names, parent in os.fwalk(files.root, follow_symlinks=False):
            for entry in names:
                _sweep_entry(parent, entry, owners, marks, folder)
            seen += len(dirs) + len(names)
            if seen >= MAX_SEEN:
                log.info("the sweep of dead workers' leftovers stopped early", seen=seen, workspace=str(files.root))
                break
    except OSError as exc:
        log.warning("dead workers' leftovers not swept", workspace=str(files.root), error=str(exc))
    # After the walk, which read them: records of files gone (removed by hand, or by a worker killed before their
    # unmark) would pile up for ever.
    if removed := marks.sweep_records():
        log.info("marks of hidden files now gone removed", removed=removed, folder=str(marks.folder))


def _sweep_entry(parent: int, entry: str, owners: tuple[int, ...], marks: Marks, folder: str) -> None:
    if ours_of(entry, TEMP_SUFFIX) is not None:
        if left_behind(parent, entry, owners, marks):
            marks.unmark(parent, entry)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry, dir_fd=parent)
            log.info("a write's temp file a dead worker left removed", temp=os.path.join(folder, entry))
        else:
            _said_if_unmarked(parent, entry, owners, folder, "a write's temp file")
        return
    for suffix, token_bytes, whose in _PUT_BACK:
        name = ours_of(entry, suffix, token_bytes)
        if name is not None:
            if left_behind(parent, entry, owners, marks):
                _put_back(parent, entry, name, marks, folder, whose)
            else:
                _said_if_unmarked(parent, entry, owners, folder, whose, name)
            return


def _said_if_unmarked(
    parent: int, entry: str, owners: tuple[int, ...], folder: str, whose: str, name: str | None = None
) -> None:
    """An old file named as a worker's hidden one but not marked (a worker's from before marks, or the user's own) is
    left as it is, said with where: a file a delete of an older worker moved aside is the user's data, hidden for good
    under a name no one knew unless someone is told to put it back."""
    if unchanged_since_lost(parent, entry, owners):
        log.warning(
            f"a file named as {whose}, not marked as a worker's, is left as it is (a worker's from before marks?)",
            stays=os.path.join(folder, entry),
            **({"name": os.path.join(folder, name)} if name is not None else {}),
        )


# The files a dead worker had moved from their names: a checked delete's (what it checked), an undo's exchange's (the
# user's file it was putting back, once the write's copy was moved into the workspace: the run's end leaves it there).
_PUT_BACK = (
    (ASIDE_SUFFIX, (ASIDE_TOKEN_BYTES,), "a dead worker's delete moved aside"),
    (BACK_SUFFIX, BACK_TOKEN_BYTES, "a dead worker's undo was putting back"),
)


def _put_back(parent: int, entry: str, name: str, marks: Marks, folder: str, whose: str) -> None:
    """``entry`` back at ``name`` when that is free; else it stays, said in the log with where it is."""
    # Of a name as long as a cut one, never put back: it may be the cut name of a longer one (as _back_from_aside).
    if len(os.fsencode(name)) < CUT_KEEPS_AT_LEAST:
        try:
            rename2(parent, entry, name, RENAME_NOREPLACE)
            marks.unmark(parent, name, was=entry)
            log.warning(f"a file {whose} is back at its name", name=os.path.join(folder, name), was=entry)
            return
        except FileNotFoundError:
            return
        except OSError:
            pass  # another file at its name (or it cannot go back): it stays, said
    log.warning(f"a file {whose} stays", name=os.path.join(folder, name), stays=os.path.join(folder, entry))
