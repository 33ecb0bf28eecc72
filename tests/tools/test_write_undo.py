"""A write says whether it made its file, and its undo (delete_file) keeps a file the user had before it."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.errors import ToolValidationError
from orchestra.tool_spec import ToolContext
from tests.tools.test_files import DELETE, WRITE, call


async def test_a_write_says_it_created_its_file_only_when_nothing_was_there(ctx: ToolContext, workspace: Path) -> None:
    (workspace / "a.txt").write_text("the user's")
    assert (await call(WRITE, ctx, path="a.txt", content="hi"))["created"] is False
    assert (await call(WRITE, ctx, path="new/b.txt", content="hi"))["created"] is True  # its directory made too
    # A retried write finding the file its earlier attempt made says false: the file is kept, never lost.
    assert (await call(WRITE, ctx, path="new/b.txt", content="hi"))["created"] is False
    assert (await call(WRITE, ctx, path="c.txt", content="x", mode="append"))["created"] is True
    assert (await call(WRITE, ctx, path="c.txt", content="y", mode="append"))["created"] is False


async def test_the_undo_of_a_write_over_an_existing_file_keeps_it(ctx: ToolContext, workspace: Path) -> None:
    (workspace / "a.txt").write_text("the user's")
    written = await call(WRITE, ctx, path="a.txt", content="hi")
    undo = {"path": written["path"], "only_if_sha256": written["sha256"], "only_if_created": written["created"]}
    kept = await call(DELETE, ctx, **undo)
    assert kept == {"path": "a.txt", "deleted": False, "reason": "existed before the write it undoes; kept"}
    assert (workspace / "a.txt").read_text() == "hi"


async def test_the_undo_of_a_write_that_made_the_file_deletes_it(ctx: ToolContext, workspace: Path) -> None:
    written = await call(WRITE, ctx, path="b.txt", content="hi")
    undo = {"path": written["path"], "only_if_sha256": written["sha256"], "only_if_created": written["created"]}
    assert (await call(DELETE, ctx, **undo))["deleted"] is True
    assert not (workspace / "b.txt").exists()
    # A delete that does not say (a plan made before `created`) deletes as before.
    (workspace / "c.txt").write_text("x")
    assert (await call(DELETE, ctx, path="c.txt"))["deleted"] is True


async def test_an_undo_that_keeps_says_so_only_of_a_file_that_is_there(ctx: ToolContext, workspace: Path) -> None:
    # A plan's delete_file with only_if_created false said "existed before the write it undoes; kept" of nothing,
    # of a directory and of a link: now what is absent is said absent, and what is no file refused as without it.
    kept = await call(DELETE, ctx, path="missing.txt", only_if_created=False)
    assert kept == {"path": "missing.txt", "deleted": False, "reason": "already absent"}
    (workspace / "d").mkdir()
    (workspace / "link").symlink_to("d")
    for path in ("d", "link"):
        with pytest.raises(ToolValidationError) as refused:
            await call(DELETE, ctx, path=path, only_if_created=False)
        assert refused.value.code == "not_a_file"
    assert (workspace / "d").is_dir() and (workspace / "link").is_symlink()
