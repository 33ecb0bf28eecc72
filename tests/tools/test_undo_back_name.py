"""The name an undo gives the copy in the workspace while it exchanges it is fresh at each undo and said in its
record, never one a plan can compute: it was ``.<name>.<token[:12]>.back``, the token the write's ``previous``,
and a shell step that put a directory there made every attempt of that undo fail with "Is a directory"."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from orchestra.tool_spec import ToolContext
from tests.tools.test_files import DELETE, WRITE, call
from tests.tools.test_write_undo import _undo_of, undoing


@pytest.mark.parametrize("planted", ["empty directory", "directory", "file", "fifo"])
async def test_nothing_put_at_a_name_computed_from_previous_stops_the_undo(
    ctx: ToolContext, workspace: Path, planted: str
) -> None:
    (workspace / "a.txt").write_text("the user's")
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    guessed = workspace / f".a.txt.{written['previous'][:12]}.back"
    if planted.endswith("directory"):
        guessed.mkdir()
        if planted == "directory":
            (guessed / "inside").write_text("x")
    elif planted == "file":
        guessed.write_text("the plan's")
    else:
        os.mkfifo(guessed)
    undone = await call(DELETE, ctx, **_undo_of(written))  # every attempt of it met the same directory
    assert undone["restored"] is True, undone["reason"]
    assert (workspace / "a.txt").read_text() == "the user's"
    assert sorted(p.name for p in workspace.iterdir()) == sorted(["a.txt", guessed.name]), "what was planted stays"
