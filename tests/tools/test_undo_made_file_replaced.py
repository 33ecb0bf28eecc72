"""Another file of the same bytes put at the name of a file a write made is not the write's: its undo keeps it, as the
undo of a write that kept what it replaced does. The undo checked the made file's bytes, size and access alone, and
deleted a user's own file (``cp backup new.txt``), or another run's write over it, still that run's own."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from orchestra.tool_spec import ToolContext
from tests.tools.test_files import DELETE, WRITE, call
from tests.tools.test_write_undo import _undo_of, undoing

KEPT = "another file was put at its name since it was written; kept"


def _same_access(source: Path, target: Path) -> None:
    info = source.stat()
    os.chown(target, info.st_uid, info.st_gid)  # a root worker gives its files to the sandbox's uid
    target.chmod(info.st_mode & 0o7777)


@pytest.mark.parametrize("how", ["moved away and copied back", "renamed over"])
async def test_the_users_file_of_the_same_bytes_at_a_made_files_name_is_kept(
    ctx: ToolContext, workspace: Path, tmp_path: Path, how: str
) -> None:
    written = await call(WRITE, undoing(ctx), path="new.txt", content="hi")
    made = workspace / "new.txt"
    backup = tmp_path / "backup"
    shutil.copyfile(made, backup)
    _same_access(made, backup)
    if how == "moved away and copied back":  # the write's file lives on (a freed inode may be the next file's)
        made.rename(workspace / "old.txt")
        shutil.copyfile(backup, made)
        _same_access(backup, made)
    else:  # an editor's save: a new file renamed over the name
        os.replace(backup, made)
    kept = await call(DELETE, ctx, **_undo_of(written))
    assert kept == {"path": "new.txt", "deleted": False, "reason": KEPT, "restored": False}
    assert made.read_text() == "hi"


async def test_another_writes_file_over_a_made_file_is_kept_by_its_undo(ctx: ToolContext, workspace: Path) -> None:
    # Another run wrote the same bytes over the file this write made: the file at the name is that run's, still done.
    first = await call(WRITE, undoing(ctx), path="new.txt", content="hi")
    second = await call(WRITE, undoing(ctx), path="new.txt", content="hi")
    assert second["created"] is False and second["previous"]
    kept = await call(DELETE, ctx, **_undo_of(first))
    assert kept["deleted"] is False and kept["reason"] == KEPT, kept
    assert (workspace / "new.txt").read_text() == "hi"
