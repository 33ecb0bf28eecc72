"""A file whose mode or owner was changed after the write made it is changed since: its undo keeps it. The
undo told the write's file by its inode and bytes alone, and put the replaced file back over a ``chmod 600`` (or a
``chown``) made since: the change lost without a word."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from orchestra.tool_spec import ToolContext
from tests.tools.test_files import DELETE, WRITE, call
from tests.tools.test_write_undo import _undo_of, undoing


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mode", [0o600, 0o755, 0o444])
async def test_an_undo_keeps_a_file_chmoded_since_its_write(ctx: ToolContext, workspace: Path, mode: int) -> None:
    (workspace / "a.txt").write_text("the user's")
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    (workspace / "a.txt").chmod(mode)
    kept = await call(DELETE, ctx, **_undo_of(written))
    assert kept["restored"] is False and "changed since it was written" in kept["reason"], kept
    assert (workspace / "a.txt").read_text() == "hi" and _mode(workspace / "a.txt") == mode


async def test_an_undo_puts_back_over_a_mode_changed_and_changed_back(ctx: ToolContext, workspace: Path) -> None:
    (workspace / "a.txt").write_text("the user's")
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    was = _mode(workspace / "a.txt")
    (workspace / "a.txt").chmod(0o600)
    (workspace / "a.txt").chmod(was)
    assert (await call(DELETE, ctx, **_undo_of(written)))["restored"] is True
    assert (workspace / "a.txt").read_text() == "the user's"


async def test_an_undo_of_writes_undone_together_keeps_the_latest_chmoded(ctx: ToolContext, workspace: Path) -> None:
    # The first write's undo (run first) undoes the later write over it too: the later write's file, chmod'ed.
    (workspace / "a.txt").write_text("the user's")
    first = await call(WRITE, undoing(ctx), path="a.txt", content="first")
    await call(WRITE, undoing(ctx), path="a.txt", content="second")
    (workspace / "a.txt").chmod(0o600)
    kept = await call(DELETE, ctx, **_undo_of(first))
    assert kept["restored"] is False and "changed since it was written" in kept["reason"], kept
    assert (workspace / "a.txt").read_text() == "second" and _mode(workspace / "a.txt") == 0o600


@pytest.mark.skipif(os.geteuid() != 0, reason="a file is given to another user as root")
async def test_an_undo_keeps_a_file_chowned_since_its_write(ctx: ToolContext, workspace: Path) -> None:
    (workspace / "a.txt").write_text("the user's")
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    another = (workspace / "a.txt").stat().st_uid + 1  # the worker gives its files to the sandbox's uid
    os.chown(workspace / "a.txt", another, another)
    kept = await call(DELETE, ctx, **_undo_of(written))
    assert kept["restored"] is False and "changed since it was written" in kept["reason"], kept
    assert (workspace / "a.txt").stat().st_uid == another
