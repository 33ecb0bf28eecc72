"""A file a write made, whose mode or owner the user changed since, is theirs now: its undo keeps it and says so.
The access check covered the files a write replaced alone: the undo of a write that made its file deleted it, the
``chmod 600`` (or ``chown``) made since lost with it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from orchestra.tool_spec import ToolContext
from orchestra.tools import replaced, replaced_files
from tests.tools.test_files import DELETE, WRITE, call
from tests.tools.test_write_undo import _undo_of, undoing


@pytest.mark.parametrize("mode", [0o600, 0o755, 0o444])
async def test_the_undo_of_a_write_that_made_its_file_keeps_it_chmoded_since(
    ctx: ToolContext, workspace: Path, mode: int
) -> None:
    written = await call(WRITE, undoing(ctx), path="new.txt", content="hi")
    assert written["created"] is True
    (workspace / "new.txt").chmod(mode)
    kept = await call(DELETE, ctx, **_undo_of(written))
    assert kept["deleted"] is False and "mode or owner changed since it was written" in kept["reason"], kept
    assert (workspace / "new.txt").read_text() == "hi" and stat.S_IMODE((workspace / "new.txt").stat().st_mode) == mode


async def test_the_undo_of_a_write_that_made_its_file_deletes_it_chmoded_back(
    ctx: ToolContext, workspace: Path
) -> None:
    written = await call(WRITE, undoing(ctx), path="new.txt", content="hi")
    was = stat.S_IMODE((workspace / "new.txt").stat().st_mode)
    (workspace / "new.txt").chmod(0o600)
    (workspace / "new.txt").chmod(was)
    assert (await call(DELETE, ctx, **_undo_of(written)))["deleted"] is True
    assert os.listdir(workspace) == []


async def test_a_retried_write_that_made_its_file_is_still_undone(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The retry replaces its earlier attempt's file (another inode, the same access): still the write's own.
    monkeypatch.setattr(replaced, "_call", lambda: ("a-run", "0" * replaced_files.TOKEN_CHARS))  # each the retry
    first = await call(WRITE, undoing(ctx), path="new.txt", content="hi")
    written = await call(WRITE, undoing(ctx), path="new.txt", content="hi")
    assert first["created"] is True and written["created"] is True and written["previous"] == first["previous"]
    assert (await call(DELETE, ctx, **_undo_of(written)))["deleted"] is True


@pytest.mark.skipif(os.geteuid() != 0, reason="a file is given to another user as root")
async def test_the_undo_of_a_write_that_made_its_file_keeps_it_chowned_since(ctx: ToolContext, workspace: Path) -> None:
    written = await call(WRITE, undoing(ctx), path="new.txt", content="hi")
    another = (workspace / "new.txt").stat().st_uid + 1
    os.chown(workspace / "new.txt", another, another)
    kept = await call(DELETE, ctx, **_undo_of(written))
    assert kept["deleted"] is False and "mode or owner changed" in kept["reason"], kept
    assert (workspace / "new.txt").stat().st_uid == another
