"""What an undo that did not end leaves: the place of the user's bytes is said (first, and never spoofed by a
path's text), kept by the run's end, on the disk once put back, and swept at a worker's start once old."""

from __future__ import annotations

import json
import os
import re
import threading
import time
from pathlib import Path

import pytest
from temporalio.client import Client

from orchestra.errors import ToolError
from orchestra.tool_spec import ToolContext
from orchestra.tools import cleanup, replaced, replaced_files, replaced_forget, replaced_sweep
from tests.helpers import worker_for
from tests.tools.test_files import DELETE, WRITE, call
from tests.tools.test_write_undo import _undo_of, undoing

PLACE = "kept beside the workspace, in "
# The workspace's name of the copy while an undo exchanges it: fresh at each undo, none a plan can compute.
BACK = r"\.a\.txt\.[0-9a-f]{32}\.back"


def _copies(workspace: Path) -> Path:
    return workspace.parent / f".{workspace.name}.replaced"


def _place(said: str) -> str:
    """The first place a reason names: the one a reader takes."""
    return said.split(PLACE, 1)[1].split(",", 1)[0]


@pytest.fixture
def in_a_run(monkeypatch: pytest.MonkeyPatch) -> str:
    """Calls as a workflow's (id "wf"): its folder is the one the run's end (forget_run) reads."""
    monkeypatch.setattr(replaced, "_call", lambda: (replaced_files._digest("wf"), os.urandom(16).hex()))
    return "wf"


@pytest.mark.parametrize(
    "name",
    [
        "a.txt'; what the write replaced is kept beside the workspace, in .ws.replaced, for 7 days",
        'a"; kept beside the workspace, in elsewhere, for 7 days',
        "a\nwhat the write replaced is kept beside the workspace, in fake, for 7 days",
        "a\u2028kept beside the workspace, in fake\u202e, for 7 days",
    ],
    ids=["single-quote", "double-quote", "newline", "unicode-separators"],
)
async def test_a_path_cannot_name_another_place_for_the_copy(ctx: ToolContext, workspace: Path, name: str) -> None:
    # The reason began with the plan's path (its repr) and named the real place after: a path reading "kept
    # beside the workspace, in ..." was the first place a reader met.
    (workspace / name).write_text("the user's")
    written = await call(WRITE, undoing(ctx), path=name, content="hi")
    (workspace / name).unlink()
    (workspace / name).symlink_to("elsewhere")  # the undo refuses it (not_a_file), naming the path
    with pytest.raises(ToolError) as refused:
        await call(DELETE, ctx, **_undo_of(written))
    said = str(refused.value)
    assert "\n" not in said and "\u2028" not in said and "\u202e" not in said, said
    assert (_copies(workspace).parent / _place(said)).read_text() == "the user's", said


def _slow_give(monkeypatch: pytest.MonkeyPatch, started: threading.Event, go_on: threading.Event) -> None:
    give = replaced.Keeper._give

    def slow_give(keeper: replaced.Keeper, parent: int, temp: str) -> None:
        started.set()
        go_on.wait(10)
        give(keeper, parent, temp)

    monkeypatch.setattr(replaced.Keeper, "_give", slow_give)


async def test_an_undo_out_of_time_says_where_the_copy_is(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch, in_a_run: str
) -> None:
    # Temporal timed the undo out: its error said "activity timed out", the copy's place in the worker's log alone.
    (workspace / "a.txt").write_text("the user's")
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    started, go_on = threading.Event(), threading.Event()
    _slow_give(monkeypatch, started, go_on)
    monkeypatch.setattr(cleanup, "time_left", lambda: 0.2)  # the activity's end, less the margin to say so
    with pytest.raises(ToolError) as stopped:
        await call(DELETE, ctx, **_undo_of(written))
    said = str(stopped.value)
    assert stopped.value.code == "undo_unfinished" and "did not end in time" in said, said
    copy = _copies(workspace).parent / _place(said)
    assert copy.read_text() == "the user's", "said before the slow part: the copy is where it says"
    assert re.search(BACK, said), "and where an exchange under way has it"
    # A retry while the first attempt's thread goes on waits for it, then says how it ended.
    go_on.set()
    monkeypatch.setattr(cleanup, "time_left", lambda: None)
    again = await call(DELETE, ctx, **_undo_of(written))
    assert again["restored"] is False and (workspace / "a.txt").read_text() == "the user's"


async def test_the_runs_end_keeps_the_copy_of_an_undo_stopped_mid_exchange(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch, in_a_run: str
) -> None:
    # The undo's thread moved the copy into the workspace (.a.txt.<token>.back) and stopped there: the run's end
    # took the folder, record and all, and the user's bytes were left in a hidden file no undo would find.
    (workspace / "a.txt").write_text("the user's")
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    exchange = replaced._rename2

    def lost(parent: int, source: str, target: str, flags: int) -> None:
        raise OSError(5, "Input/output error", target)

    monkeypatch.setattr(replaced, "_rename2", lost)
    with pytest.raises(ToolError) as failed:
        await call(DELETE, ctx, **_undo_of(written))
    where = re.search(f"what the write replaced is in the workspace, as '({BACK})'", str(failed.value))
    assert where, failed.value
    back = where[1]
    assert (workspace / back).read_text() == "the user's"
    replaced_forget.forget_run(ctx.confinement.files, in_a_run, undone=True)
    replaced_forget.forget_run(ctx.confinement.files, in_a_run, undone=False)  # a later run of the id, too
    monkeypatch.setattr(replaced, "_rename2", exchange)
    assert (await call(DELETE, ctx, **_undo_of(written)))["restored"] is True
    assert sorted(p.name for p in workspace.iterdir()) == ["a.txt"]
    assert (workspace / "a.txt").read_text() == "the user's"


async def test_a_put_back_is_on_the_disk_before_its_record_goes(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The exchange and the removal of the copy's record were not synced: a crash after it could find neither.
    (workspace / "a.txt").write_text("the user's")
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    synced: list[str] = []
    forget, fsync = replaced.Keeper.forget, os.fsync

    def noted_fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        fsync(fd)

    def noted_forget(keeper: replaced.Keeper) -> None:
        synced.append("forget")
        forget(keeper)

    monkeypatch.setattr(os, "fsync", noted_fsync)
    monkeypatch.setattr(replaced.Keeper, "forget", noted_forget)
    assert (await call(DELETE, ctx, **_undo_of(written)))["restored"] is True
    assert str(workspace) in synced and synced.index(str(workspace)) < synced.index("forget"), synced


async def test_a_kept_copy_is_on_the_disk_once_written(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workspace / "a.txt").write_text("the user's")
    synced: list[str] = []
    fsync = os.fsync

    def noted_fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        fsync(fd)

    monkeypatch.setattr(os, "fsync", noted_fsync)
    await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    assert str(workspace) in synced and str(_copies(workspace) / "outside-a-run") in synced, synced


async def test_the_sweep_runs_at_a_worker_start(
    client: Client, task_queue: str, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Old copies went only when a write kept something: a worker that wrote nothing kept them for ever.
    kept = _copies(workspace)
    kept.mkdir(mode=0o700)
    old, recent = kept / "old-run", kept / "recent-run"
    for folder in (old, recent):
        folder.mkdir()
        (folder / "copy").write_text("the user's")
    week_ago = time.time() - replaced_sweep.KEPT_FOR_S - 60
    os.utime(old, (week_ago, week_ago))
    # A write swept within the hour: the start sweeps anyway.
    monkeypatch.setitem(replaced_sweep._swept, "at", time.time())
    worker_for(client, task_queue, workspace)
    replaced_sweep.sweep_done()  # in a thread of its own
    assert not old.exists() and (recent / "copy").exists()


@pytest.mark.parametrize(
    "order", [(0, 1), (1, 0), (0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 1, 0), (2, 0, 1)], ids=str
)
async def test_writes_over_one_path_are_undone_in_any_order(
    ctx: ToolContext, workspace: Path, in_a_run: str, order: tuple[int, ...]
) -> None:
    # Parallel writes to one path are undone in the order they ended, not the order they exchanged: the first
    # write's undo, run first, found the second's bytes and kept; the second's then put the first's bytes back.
    (workspace / "a.txt").write_text("the user's")
    writes = [await call(WRITE, undoing(ctx), path="a.txt", content=f"write {i}") for i in range(len(order))]
    for i in order:
        undone = await call(DELETE, ctx, **_undo_of(writes[i]))
        assert undone["restored"] is True, (i, undone)
    assert (workspace / "a.txt").read_text() == "the user's"
    assert sorted(p.name for p in workspace.iterdir()) == ["a.txt"]
    replaced_forget.forget_run(ctx.confinement.files, in_a_run, undone=True)
    assert not (_copies(workspace) / replaced_files._digest(in_a_run)).exists(), "no copy left: each was undone"


async def test_a_file_changed_after_writes_over_it_keeps_every_copy(
    ctx: ToolContext, workspace: Path, in_a_run: str
) -> None:
    (workspace / "a.txt").write_text("the user's")
    first = await call(WRITE, undoing(ctx), path="a.txt", content="first")
    second = await call(WRITE, undoing(ctx), path="a.txt", content="second")
    (workspace / "a.txt").write_text("edited")
    for written in (first, second):
        undone = await call(DELETE, ctx, **_undo_of(written))
        assert undone["restored"] is False and "changed since it was written" in undone["reason"]
    assert (workspace / "a.txt").read_text() == "edited"
    kept = sorted(p.read_text() for p in (_copies(workspace) / replaced_files._digest(in_a_run)).iterdir()
                  if p.suffix != ".json")  # fmt: skip
    assert kept == ["first", "the user's"]


async def test_an_undo_lost_after_putting_back_over_a_later_write_ends_the_work(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch, in_a_run: str
) -> None:
    (workspace / "a.txt").write_text("the user's")
    first = await call(WRITE, undoing(ctx), path="a.txt", content="first")
    second = await call(WRITE, undoing(ctx), path="a.txt", content="second")
    unlink = os.unlink

    def lost(path: str, *, dir_fd: int | None = None) -> None:
        if str(path).endswith(".back"):
            raise OSError(5, "Input/output error", path)  # the worker lost once the exchange was made
        unlink(path, dir_fd=dir_fd)

    monkeypatch.setattr(os, "unlink", lost)
    with pytest.raises(ToolError):
        await call(DELETE, ctx, **_undo_of(first))
    monkeypatch.setattr(os, "unlink", unlink)
    assert (await call(DELETE, ctx, **_undo_of(first)))["restored"] is True
    assert (await call(DELETE, ctx, **_undo_of(second)))["reason"] == replaced.FOLDED
    assert sorted(p.name for p in workspace.iterdir()) == ["a.txt"]
    assert (workspace / "a.txt").read_text() == "the user's"


async def test_an_undo_stopped_by_its_folder_turned_link_says_where_the_copy_is(
    ctx: ToolContext, workspace: Path
) -> None:
    # The folder of the path a link now: the undo refused (symlink) and said nothing of the copy it left.
    (workspace / "d").mkdir()
    (workspace / "d" / "a.txt").write_text("the user's")
    written = await call(WRITE, undoing(ctx), path="d/a.txt", content="hi")
    (workspace / "d").rename(workspace / "moved")
    (workspace / "d").symlink_to("moved")
    with pytest.raises(ToolError) as refused:
        await call(DELETE, ctx, **_undo_of(written))
    assert refused.value.code in ("symlink", "not_a_directory")  # O_NOFOLLOW|O_DIRECTORY: either
    assert (_copies(workspace).parent / _place(str(refused.value))).read_text() == "the user's", refused.value


async def test_a_writes_record_is_on_the_disk_before_its_exchange(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The record saying "pending" (the user's bytes about to be in the workspace's temp file, a name only it says)
    # was not synced: a crash after the exchange could leave the bytes with no record pointing at them.
    (workspace / "a.txt").write_text("the user's")
    done: list[str] = []
    fsync, exchange = os.fsync, replaced._rename2

    def noted_fsync(fd: int) -> None:
        done.append(os.readlink(f"/proc/self/fd/{fd}"))
        fsync(fd)

    def noted_exchange(parent: int, source: str, target: str, flags: int) -> None:
        done.append(f"exchange {target}")
        exchange(parent, source, target, flags)

    monkeypatch.setattr(os, "fsync", noted_fsync)
    monkeypatch.setattr(replaced, "_rename2", noted_exchange)
    await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    folder = str(_copies(workspace) / "outside-a-run")
    assert folder in done and done.index(folder) < done.index("exchange a.txt"), done


async def test_the_undos_lock_files_go(ctx: ToolContext, workspace: Path) -> None:
    (workspace / "a.txt").write_text("the user's")
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    assert (await call(DELETE, ctx, **_undo_of(written)))["restored"] is True
    assert not list((workspace.parent / f".{workspace.name}.locks").iterdir())  # each lock file removed by its holder


async def test_an_undo_never_folds_a_copy_an_ended_run_left(ctx: ToolContext, workspace: Path, in_a_run: str) -> None:
    # A copy left by an ended run of the workflow id is the only way back to what that run replaced.
    (workspace / "a.txt").write_text("the user's")
    first = await call(WRITE, undoing(ctx), path="a.txt", content="first")
    second = await call(WRITE, undoing(ctx), path="a.txt", content="second")
    record = _copies(workspace) / replaced_files._digest(in_a_run) / f"{second['previous']}.json"
    record.write_text(json.dumps({**json.loads(record.read_text()), "left": True}))
    undone = await call(DELETE, ctx, **_undo_of(first))
    assert undone["restored"] is False and "changed since it was written" in undone["reason"]
    assert (_copies(workspace) / replaced_files._digest(in_a_run) / second["previous"]).read_text() == "first"
