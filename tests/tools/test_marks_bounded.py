"""Marks of a worker's hidden files recorded beside the workspace (where no extended attribute can be set) piled up
for ever: a record whose file was gone (removed by hand, a killed worker's leftover cleaned up) was never removed,
and could later mark a file that took the same inode and name. A worker whose key folder could not be made (the
workspace's parent not writable, the name taken, another user's folder) marked nothing and said so nowhere at its
start: what a killed worker left stayed unswept with no word. And the key, read once a process, was trusted with its
folder gone or replaced by another user's meanwhile: that user's records marked files as the worker's."""

from __future__ import annotations

import errno
import hashlib
import hmac
import os
import shutil
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import pytest
import structlog

from orchestra import workspace_leftovers
from orchestra.workspace import Workspace
from orchestra.workspace_marks import Marks

NOBODY = 65534


@pytest.fixture
def no_attributes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file system that takes no extended attribute: marks are recorded beside the workspace."""

    def unsupported(*_: object, **__: object) -> None:
        raise OSError(errno.ENOTSUP, "Operation not supported")

    monkeypatch.setattr(os, "setxattr", unsupported)


@pytest.fixture
def parent(workspace: Path) -> Iterator[int]:
    fd = os.open(workspace, os.O_RDONLY | os.O_DIRECTORY)
    yield fd
    os.close(fd)


def marked(workspace: Path, parent: int, name: str) -> Marks:
    (workspace / name).write_text("the worker's")
    marks = Workspace(workspace).marks()
    marks.mark(parent, name)
    return marks


def records(marks: Marks) -> list[str]:
    return sorted(name for name in os.listdir(marks.folder) if name != "key")


def swept(workspace: Path) -> list[MutableMapping[str, Any]]:
    with structlog.testing.capture_logs() as logs:
        workspace_leftovers.sweep(Workspace(workspace))
        workspace_leftovers.sweep_done(60)
    return logs


def test_records_of_files_gone_or_replaced_are_removed_at_a_worker_s_start(
    workspace: Path, parent: int, no_attributes: None
) -> None:
    (workspace / "docs").mkdir()
    names = [".a.0123456789ab.tmp", ".b.0123456789ab.deleting", ".c.0123456789ab.tmp", "docs/.d.0123456789ab.tmp"]
    marks = marked(workspace, parent, names[0])
    for name in names[1:3]:
        marked(workspace, parent, name)
    docs = os.open(workspace / "docs", os.O_RDONLY | os.O_DIRECTORY)
    try:
        (workspace / names[3]).write_text("the worker's")
        marks.mark(docs, ".d.0123456789ab.tmp")
        assert marks.made(docs, ".d.0123456789ab.tmp")
    finally:
        os.close(docs)
    assert len(records(marks)) == 4
    (workspace / names[0]).unlink()  # a killed worker's leftover, cleaned up by hand
    (workspace / names[3]).unlink()
    replacement = workspace / "replacement"  # another file at the name since (another inode)
    replacement.write_text("the user's")
    os.replace(replacement, workspace / names[1])
    kept = [digest for digest in records(marks) if digest in {_digest_of(marks, workspace, names[2])}]
    logs = swept(workspace)
    assert records(marks) == kept and len(kept) == 1, "only the record of the file still there and marked stays"
    assert marks.made(parent, names[2]) and not marks.made(parent, names[1])
    assert [line for line in logs if "now gone removed" in line["event"] and line["removed"] == 3]


def _digest_of(marks: Marks, workspace: Path, name: str) -> str:
    info = (workspace / name).stat()
    key = (marks.folder / "key").read_bytes()
    return hmac.new(key, f"{info.st_dev}:{info.st_ino}:".encode() + name.encode(), hashlib.sha256).hexdigest()


@pytest.mark.parametrize("why", ["a file at its name", "another user's", "open to others"])
def test_a_worker_that_cannot_mark_says_so_at_its_start_naming_the_folder(workspace: Path, why: str) -> None:
    folder = Workspace(workspace).marks().folder
    if why == "a file at its name":
        folder.write_text("")  # as a parent not writable: no folder can be made there
    else:
        folder.mkdir(mode=0o700)
        if why == "another user's":
            os.chown(folder, NOBODY, NOBODY)
        else:
            folder.chmod(0o777)
    logs = swept(workspace)
    said = [line for line in logs if "cannot mark its hidden files" in line["event"]]
    assert len(said) == 1 and said[0]["folder"] == str(folder) and said[0]["log_level"] == "warning", logs


def test_a_worker_that_can_mark_says_nothing_of_it(workspace: Path) -> None:
    assert not [line for line in swept(workspace) if "cannot mark" in line["event"]]


def test_a_key_folder_replaced_by_another_user_s_while_a_worker_runs_is_never_trusted(
    workspace: Path, parent: int, no_attributes: None
) -> None:
    marks = marked(workspace, parent, ".a.0123456789ab.tmp")
    assert marks.made(parent, ".a.0123456789ab.tmp")
    users = ".notes.0123456789ab.tmp"
    (workspace / users).write_text("the user's")
    leaked = _digest_of(marks, workspace, users)  # a digest of the worker's key, as its records once showed them
    shutil.rmtree(marks.folder)
    marks.folder.mkdir(mode=0o700)  # made anew by another user, holding what marks the user's file as the worker's
    (marks.folder / "key").write_bytes(os.urandom(32))
    (marks.folder / leaked).write_text(users)
    os.chown(marks.folder, NOBODY, NOBODY)
    assert not marks.made(parent, users), "another user's record trusted"
    assert not marks.made(parent, ".a.0123456789ab.tmp")
    marked(workspace, parent, ".b.0123456789ab.tmp")
    assert sorted(os.listdir(marks.folder)) == sorted(["key", leaked]), "a record written in another user's folder"


def test_a_key_folder_removed_while_a_worker_runs_is_made_anew_and_old_marks_are_not_trusted(
    workspace: Path, parent: int, no_attributes: None
) -> None:
    marks = marked(workspace, parent, ".a.0123456789ab.tmp")
    shutil.rmtree(marks.folder)
    assert not marks.made(parent, ".a.0123456789ab.tmp")
    marked(workspace, parent, ".b.0123456789ab.tmp")
    assert marks.made(parent, ".b.0123456789ab.tmp") and not marks.made(parent, ".a.0123456789ab.tmp")
    assert len(records(marks)) == 1
