"""The sweep of old folders of undo copies holds no write and no worker's start, and never removes a folder a
write came back to while it looked."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from orchestra.tool_spec import ToolContext
from orchestra.tools import replaced, replaced_files, replaced_sweep
from tests.tools.test_files import WRITE, call
from tests.tools.test_write_undo import undoing


def _old_folder(workspace: Path, name: str) -> Path:
    kept = workspace.parent / f".{workspace.name}.replaced"
    kept.mkdir(mode=0o700, exist_ok=True)
    folder = kept / name
    folder.mkdir(mode=0o700)
    (folder / "copy").write_text("a copy of a long-ended run")
    week_ago = time.time() - replaced_sweep.KEPT_FOR_S - 60
    os.utime(folder, (week_ago, week_ago))
    return folder


async def test_a_sweep_holds_no_write(ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The hourly sweep ran in the write that found it due, before the write: 256 folders of a long run's copies
    # (a million files) held that write past its activity's timeout, its retry running beside it.
    old = _old_folder(workspace, "old-run")
    monkeypatch.setitem(replaced_sweep._swept, "at", 0.0)
    events: list[str] = []
    go_on = threading.Event()
    rmtree = shutil.rmtree

    def slow_rmtree(path: str | Path, *args: object, **kwargs: object) -> None:
        go_on.wait(10)
        events.append("swept")
        rmtree(path)

    monkeypatch.setattr(shutil, "rmtree", slow_rmtree)
    (workspace / "a.txt").write_text("the user's")
    await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    events.append("written")
    go_on.set()
    replaced_sweep.sweep_done()
    assert events == ["written", "swept"] and not any(p.name.startswith("old-run") for p in old.parent.iterdir())


async def test_a_sweep_removes_no_folder_a_write_came_back_to(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A run paused past the week came back (an approval) and wrote while the sweep looked at its folder: the
    # sweep, having found it old, removed it, the write's copy of the user's bytes with it.
    files = ctx.confinement.files
    folder = _old_folder(workspace, replaced_files._digest("wf"))
    (workspace / "a.txt").write_text("the user's")
    stat, came_back = os.stat, list[replaced.Keeper]()

    def write_meanwhile(path: str | os.PathLike[str], *args: object, **kwargs: object) -> os.stat_result:
        found = stat(path, *args, **kwargs)  # type: ignore[arg-type]
        if os.fspath(path) == str(folder) and kwargs.get("follow_symlinks") is False and not came_back:
            # Found old (the sweep's look at its age), then a write comes back to it.
            keeper = replaced.Keeper(files, folder, "1" * replaced_files.TOKEN_CHARS, run="r")
            came_back.append(keeper)
            assert keeper.ready()
            keeper.written = hashlib.sha256(b"hi").hexdigest()
            put, _ = keeper.put("a.txt")
            files.write("a.txt", b"hi", append=False, make_dirs=False, put=put)
        return found

    monkeypatch.setattr(os, "stat", write_meanwhile)
    replaced_sweep.sweep(files)
    replaced_sweep.sweep_done()
    monkeypatch.setattr(os, "stat", stat)
    assert came_back, "the write came while the sweep looked"
    assert came_back[0].put_back("a.txt", None) == (True, "what the write replaced was put back")
    assert (workspace / "a.txt").read_text() == "the user's"
