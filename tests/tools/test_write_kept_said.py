"""A write that kept what it replaced and then failed says in its error where the copy is: one timed out (its
thread going on past the activity's end) or failing on its record said only "activity timed out" or "No space
left", the copy's place in the worker's log alone."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from orchestra.errors import ToolError
from orchestra.tool_spec import ToolContext
from orchestra.tools import cleanup, replaced, replaced_files
from tests.tools.test_files import DELETE, WRITE, call
from tests.tools.test_undo_leftovers import _copies, _place
from tests.tools.test_write_undo import _undo_of, undoing


@pytest.fixture
def one_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every attempt is of one activity (a retry finds its earlier attempt's copy)."""
    token = os.urandom(16).hex()
    monkeypatch.setattr(replaced, "_call", lambda: (replaced_files._digest("wf"), token))


def _held_when(monkeypatch: pytest.MonkeyPatch, state: str, go_on: threading.Event) -> None:
    """The record's saying ``state`` waits for ``go_on`` (the copy already in its folder)."""
    say = replaced.Keeper._say

    def slow_say(keeper: replaced.Keeper, relative: str, said: str, temp: str = "", **more: Any) -> None:
        if said == state:
            go_on.wait(30)
        say(keeper, relative, said, temp, **more)  # type: ignore[arg-type]

    monkeypatch.setattr(replaced.Keeper, "_say", slow_say)


async def test_a_write_out_of_time_says_where_the_copy_is(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch, one_call: None
) -> None:
    (workspace / "a.txt").write_text("the user's")
    go_on = threading.Event()
    _held_when(monkeypatch, "kept", go_on)
    monkeypatch.setattr(cleanup, "time_left", lambda: 0.2)  # the activity's end, less the margin to say so
    with pytest.raises(ToolError) as stopped:
        await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    said = str(stopped.value)
    assert stopped.value.code == "write_unfinished" and "did not end in time" in said, said
    assert (_copies(workspace).parent / _place(said)).read_text() == "the user's", said
    # A retry while the first attempt's thread goes on waits for it, then finds its copy: the undo puts it back.
    go_on.set()
    monkeypatch.setattr(cleanup, "time_left", lambda: None)
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    assert written["previous"] is not None and written["created"] is False
    assert (await call(DELETE, ctx, **_undo_of(written)))["restored"] is True
    assert (workspace / "a.txt").read_text() == "the user's"


async def test_a_write_failing_after_it_kept_says_where_the_copy_is(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch, one_call: None
) -> None:
    (workspace / "a.txt").write_text("the user's")
    say = replaced.Keeper._say

    def full_disk(keeper: replaced.Keeper, relative: str, said: str, temp: str = "", **more: Any) -> None:
        if said == "kept":
            raise OSError(errno.ENOSPC, "No space left on device")
        say(keeper, relative, said, temp, **more)  # type: ignore[arg-type]

    monkeypatch.setattr(replaced.Keeper, "_say", full_disk)
    with pytest.raises(ToolError) as failed:
        await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    said = str(failed.value)
    assert failed.value.code == "disk_full" and "No space left" in said, said
    assert (_copies(workspace).parent / _place(said)).read_text() == "the user's", said
    monkeypatch.setattr(replaced.Keeper, "_say", say)
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")  # the retry, room made
    assert (await call(DELETE, ctx, **_undo_of(written)))["restored"] is True
    assert (workspace / "a.txt").read_text() == "the user's"
