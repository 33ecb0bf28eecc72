"""An undo whose lock file cannot be made (orchestra/tools/replaced_lock.py) still runs, one at a time in its process:
an undo deletes or renames and needs no room of its own, but the lock's empty file failed it on a disk out of inodes
("disk_full", retried until its retries ran out), and on anything else at the lock's name ("Is a directory")."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from orchestra.confinement import Confinement
from orchestra.tool_spec import ToolContext
from orchestra.tools.replaced_files import _digest
from tests.tools.test_files import DELETE, WRITE, call
from tests.tools.test_write_undo import _undo_of, undoing


def _lock_of(workspace: Path, relative: str) -> Path:
    return workspace.parent / f".{workspace.name}.locks" / _digest(relative)


@pytest.mark.parametrize("taken_by", ["directory", "link"])
async def test_an_undo_whose_lock_name_is_taken_still_deletes_the_made_file(
    ctx: ToolContext, workspace: Path, tmp_path: Path, taken_by: str
) -> None:
    written = await call(WRITE, undoing(ctx), path="new.txt", content="hi")
    lock, elsewhere = _lock_of(workspace, "new.txt"), tmp_path / "elsewhere"
    elsewhere.write_text("not the lock's")
    if taken_by == "directory":  # the lock folder is there (the write's); at the path's lock name, no file opens
        lock.mkdir()
    else:
        lock.symlink_to(elsewhere)  # never followed
    done = await call(DELETE, ctx, **_undo_of(written))
    assert done == {"path": "new.txt", "deleted": True, "reason": "deleted", "restored": False}
    assert os.listdir(workspace) == [] and os.path.lexists(lock) and elsewhere.read_text() == "not the lock's"


@contextlib.contextmanager
def _out_of_inodes(tmp_path: Path) -> Iterator[Path]:
    """A disk of its own (a tmpfs of few inodes), skipped where none can be mounted (not root, no CAP_SYS_ADMIN)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    try:
        made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1g,nr_inodes=16", "tmpfs", str(disk)],
                              capture_output=True, check=False)  # fmt: skip
    except OSError as exc:  # no mount program
        pytest.skip(f"no tmpfs can be mounted here: {exc}")
    if made.returncode != 0:
        pytest.skip(f"no tmpfs can be mounted here: {made.stderr.decode(errors='replace').strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


async def test_an_undo_on_a_disk_out_of_inodes_deletes_the_made_file(tmp_path: Path) -> None:
    with _out_of_inodes(tmp_path) as disk:
        workspace = disk / "ws"
        workspace.mkdir()
        ctx = ToolContext(confinement=Confinement(workspace=workspace))
        written = await call(WRITE, undoing(ctx), path="new.txt", content="hi")
        filled = 0
        with contextlib.suppress(OSError):  # every inode taken: no file can be made, a rename and an unlink can
            while True:
                (disk / f"fill{filled}").touch()
                filled += 1
        assert filled and not _lock_of(workspace, "new.txt").exists()
        done = await call(DELETE, ctx, **_undo_of(written))
        assert done["deleted"] is True, done
        assert os.listdir(workspace) == []
