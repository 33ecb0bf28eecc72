"""A user's own files named as a worker names its hidden ones (``.<name>.<hex>.tmp``, ``.deleting``, ``.back``),
older than any attempt runs, were deleted (a temp) or renamed (moved aside, put back) by a worker's start and by the
next write or delete of their name: the name, owner and age alone said they were a dead worker's. Only a file a worker
marked as its own (orchestra/workspace_marks.py) is touched now; what real killed workers left still goes."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from temporalio.client import Client

from orchestra import workspace_leftovers, workspace_marks
from orchestra.tool_spec import ToolContext
from orchestra.workspace import Workspace
from tests.helpers import worker_for
from tests.tools.test_dead_workers_leftovers import killed_mid_delete, killed_mid_write, old
from tests.tools.test_files import DELETE, WRITE, call
from tests.tools.test_undo_one_at_a_time import CHECKED, CHECKED_SHA256

__all__ = ["old"]  # the fixture, used by name
USERS = (".notes.0123456789ab.tmp", ".x.0123456789ab.deleting", ".y.0123456789abcdef0123456789abcdef.back",
         ".z.0123456789ab.back")  # fmt: skip


def left_by_a_worker(workspace: Path, name: str) -> None:
    """The file ``name`` (made by hand) marked as a worker marks its hidden files: one a lost worker left."""
    parent = os.open(workspace, os.O_RDONLY | os.O_DIRECTORY)
    try:
        Workspace(workspace).marks().mark(parent, name)
    finally:
        os.close(parent)


def users_files(workspace: Path) -> None:
    for name in USERS:
        (workspace / name).write_text("the user's")
    # One given the worker's attribute by hand (a guessed value, or one copied from a worker's file): no mark.
    forged = workspace / ".w.0123456789ab.tmp"
    forged.write_text("the user's")
    os.setxattr(forged, workspace_marks.ATTRIBUTE, os.urandom(32).hex().encode())


def untouched(workspace: Path) -> bool:
    names = (*USERS, ".w.0123456789ab.tmp")
    kept = all((workspace / name).read_text() == "the user's" for name in names)
    return kept and not any((workspace / name).exists() for name in ("notes", "x", "y", "z", "w"))


async def test_a_worker_s_start_leaves_a_user_s_files_named_like_a_dead_worker_s(
    client: Client, task_queue: str, workspace: Path, tmp_path: Path, old: None
) -> None:
    killed_mid_write(workspace, tmp_path, "a.txt")
    (workspace / "b.txt").write_bytes(CHECKED)
    aside = killed_mid_delete(workspace, tmp_path, "b.txt")
    users_files(workspace)
    # A copy of a marked leftover (another file, of the user's) at another name of the form: not the worker's.
    (workspace / ".c.txt.0123456789ab.deleting").write_bytes((workspace / aside).read_bytes())
    worker_for(client, task_queue, workspace)
    workspace_leftovers.sweep_done(60)
    assert untouched(workspace)
    assert (workspace / ".c.txt.0123456789ab.deleting").read_bytes() == CHECKED and not (workspace / "c.txt").exists()
    assert sorted(os.listdir(workspace)) == sorted([*USERS, ".w.0123456789ab.tmp", ".c.txt.0123456789ab.deleting",
                                                    "b.txt"]), "the killed workers' leftovers went"  # fmt: skip


async def test_the_next_write_of_a_name_leaves_a_user_s_temp_named_file(
    ctx: ToolContext, workspace: Path, old: None
) -> None:
    (workspace / ".notes.0123456789ab.tmp").write_text("the user's")
    await call(WRITE, ctx, path="notes", content="the run's")
    assert (workspace / ".notes.0123456789ab.tmp").read_text() == "the user's"
    assert (workspace / "notes").read_text() == "the run's"


async def test_the_next_delete_of_a_name_leaves_a_user_s_aside_named_file(
    ctx: ToolContext, workspace: Path, old: None
) -> None:
    (workspace / ".x.0123456789ab.deleting").write_bytes(CHECKED)
    (workspace / ".x.0123456789ab.tmp").write_text("the user's")
    done = await call(DELETE, ctx, path="x", only_if_sha256=CHECKED_SHA256)
    assert done["reason"] == "already absent" and not (workspace / "x").exists()
    assert (workspace / ".x.0123456789ab.deleting").read_bytes() == CHECKED
    assert (workspace / ".x.0123456789ab.tmp").read_text() == "the user's"


def test_where_no_attribute_can_be_set_the_mark_is_recorded_beside_the_workspace(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unsupported(*_: object, **__: object) -> None:
        raise OSError(errno.ENOTSUP, "Operation not supported")

    monkeypatch.setattr(os, "setxattr", unsupported)
    marks = Workspace(workspace).marks()
    parent = os.open(workspace, os.O_RDONLY | os.O_DIRECTORY)
    try:
        (workspace / ".a.0123456789ab.tmp").write_text("the run's")
        marks.mark(parent, ".a.0123456789ab.tmp")
        assert marks.made(parent, ".a.0123456789ab.tmp") and len(os.listdir(marks.folder)) == 2  # its key, the mark
        assert oct(marks.folder.stat().st_mode & 0o777) == "0o700"
        os.rename(workspace / ".a.0123456789ab.tmp", workspace / "a")
        (workspace / ".a.0123456789ab.tmp").write_text("the user's, at the name since")
        assert not marks.made(parent, ".a.0123456789ab.tmp"), "another file at the name"
        marks.unmark(parent, "a", was=".a.0123456789ab.tmp")
        assert os.listdir(marks.folder) == ["key"]
    finally:
        os.close(parent)
