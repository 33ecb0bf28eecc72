"""An undo puts back what its write replaced only over that write's own file: bytes alike are not the same file
(another write of the same bytes over a user's edit), and a record is its write's run's whoever reads it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from orchestra import workspace as workspace_module
from orchestra.errors import ToolError
from orchestra.tool_spec import ToolContext
from orchestra.tools import replaced, replaced_files, replaced_forget
from tests.tools.test_files import DELETE, WRITE, call
from tests.tools.test_write_undo import _undo_of, undoing


def _folder(workspace: Path) -> Path:
    return workspace.parent / f".{workspace.name}.replaced" / replaced_files._digest("wf")


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Calls as a workflow's (id "wf"), in the run ``run["id"]`` (changed to be another run of the id)."""
    now = {"id": "first run"}
    monkeypatch.setattr(replaced, "_call", lambda: (replaced_files._digest("wf"), os.urandom(16).hex()))
    monkeypatch.setattr(replaced, "_run", lambda: replaced_files._digest(now["id"]))
    return now


async def test_a_users_edit_between_two_writes_of_the_same_bytes_is_put_back(
    ctx: ToolContext, workspace: Path, run: dict[str, str]
) -> None:
    # Two writes of "X", the user's edit between: the first's undo (parallel writes are undone in the order they
    # ended) found "X", its own bytes, and put the user's first bytes over the second write's file: the edit was
    # left in the second's copy, its undo saying the file had changed.
    (workspace / "a.txt").write_text("the user's")
    first = await call(WRITE, undoing(ctx), path="a.txt", content="X")
    (workspace / "a.txt").write_text("the user's edit")
    second = await call(WRITE, undoing(ctx), path="a.txt", content="X")
    kept = await call(DELETE, ctx, **_undo_of(first))
    assert kept["restored"] is False and "changed since it was written" in kept["reason"]
    assert (workspace / "a.txt").read_text() == "X"
    assert (await call(DELETE, ctx, **_undo_of(second)))["restored"] is True
    assert (workspace / "a.txt").read_text() == "the user's edit"


@pytest.mark.parametrize("contents", [("X", "X"), ("X", "Y", "X"), ("X", "X", "X")], ids=["two", "y-between", "three"])
async def test_writes_of_the_same_bytes_are_all_undone_whichever_undo_runs_first(
    ctx: ToolContext, workspace: Path, run: dict[str, str], contents: tuple[str, ...]
) -> None:
    # The first write's undo, run first, took "X" for its own file: it put the user's bytes back, and each later
    # write's undo said the file had changed, leaving a copy (and a reason) of a failed undo.
    (workspace / "a.txt").write_text("the user's")
    written = [await call(WRITE, undoing(ctx), path="a.txt", content=content) for content in contents]
    for each in written:
        undone = await call(DELETE, ctx, **_undo_of(each))
        assert undone["restored"] is True, undone["reason"]
    assert (workspace / "a.txt").read_text() == "the user's"
    assert sorted(p.name for p in workspace.iterdir()) == ["a.txt"]
    assert [p for p in _folder(workspace).iterdir() if p.suffix != ".json"] == [], "no copy left of a write undone"


async def test_an_undo_folds_no_write_of_another_run(ctx: ToolContext, workspace: Path, run: dict[str, str]) -> None:
    # A run of the id terminated (its records not yet marked left: a terminated run runs no end) wrote "A" over
    # the user's "U"; the next run wrote "U" over it, then the user wrote "A": that run's undo took the terminated
    # run's write for one of its own, put "A" back and removed the terminated run's copy of the user's bytes.
    (workspace / "a.txt").write_text("U")
    await call(WRITE, undoing(ctx), path="a.txt", content="A")
    run["id"] = "second run"
    later = await call(WRITE, undoing(ctx), path="a.txt", content="U")
    (workspace / "a.txt").write_text("A")
    undone = await call(DELETE, ctx, **_undo_of(later))
    assert undone["restored"] is False and "changed since it was written" in undone["reason"]
    kept = sorted(p.read_text() for p in _folder(workspace).iterdir() if p.suffix != ".json")
    assert kept == ["A", "U"], "the terminated run's copy of the user's bytes, and the undo's"


async def test_an_undo_in_another_run_leaves_the_copy_its_writes_run(
    ctx: ToolContext, workspace: Path, run: dict[str, str]
) -> None:
    # The worker of a write was lost mid-exchange, its run terminated; the next run of the id named that write's
    # copy in a delete_file: it settled the record (the copy kept, the file changed since), the record now said
    # the new run's, and the new run's end (nothing undone) removed the copy as its own: the user's bytes lost.
    keeper = replaced.Keeper.of_call(ctx.confinement.files)
    assert keeper.ready()
    keeper.written = hashlib.sha256(b"hi").hexdigest()
    (workspace / "a.txt").write_text("edited since")
    (workspace / ".a.txt.lost.tmp").write_text("the user's")
    keeper._say("a.txt", "pending", ".a.txt.lost.tmp")
    run["id"] = "second run"
    undone = await call(DELETE, ctx, path="a.txt", previous=keeper.token)
    assert undone["restored"] is False and "changed since it was written" in undone["reason"]
    replaced_forget.forget_run(ctx.confinement.files, "wf", chain={replaced_files._digest("second run")})
    assert (_folder(workspace) / keeper.token).read_text() == "the user's"


async def test_a_record_that_cannot_be_read_keeps_its_copy(
    ctx: ToolContext, workspace: Path, run: dict[str, str]
) -> None:
    # A crash lost the data of a record (only unfinished states are synced): the undo failed with a bare
    # JSONDecodeError saying nothing of the copy, and the run's end removed the copy with the record.
    (workspace / "a.txt").write_text("the user's")
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    record = _folder(workspace) / f"{written['previous']}.json"
    for lost in ("", '{"path": "a.txt"', "[]"):
        record.write_text(lost)
        with pytest.raises(ToolError) as failed:
            await call(DELETE, ctx, **_undo_of(written))
        assert f"{replaced_files._digest('wf')}/{written['previous']}" in str(failed.value), failed.value
        replaced_forget.forget_run(ctx.confinement.files, "wf", undone=True)
        assert (_folder(workspace) / written["previous"]).read_text() == "the user's"
    assert (workspace / "a.txt").read_text() == "hi"


async def test_a_write_retried_after_it_ended_is_still_undone_with_a_later_write(
    ctx: ToolContext, workspace: Path, run: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A write's attempt ended but its result was lost: the retry (its copy kept by the first) writes its file
    # again, another file of the same bytes. A later write over it, then the first write's undo: the record
    # named the first attempt's file, and the later write's undo was not folded into it.
    calls = iter(["1" * replaced_files.TOKEN_CHARS, "1" * replaced_files.TOKEN_CHARS, "2" * replaced_files.TOKEN_CHARS])
    monkeypatch.setattr(replaced, "_call", lambda: (replaced_files._digest("wf"), next(calls, "")))  # undos: their own
    (workspace / "a.txt").write_text("the user's")
    await call(WRITE, undoing(ctx), path="a.txt", content="first")
    first = await call(WRITE, undoing(ctx), path="a.txt", content="first")  # the retry
    second = await call(WRITE, undoing(ctx), path="a.txt", content="second")
    assert (await call(DELETE, ctx, **_undo_of(first)))["restored"] is True
    assert (await call(DELETE, ctx, **_undo_of(second)))["reason"] == replaced.FOLDED
    assert (workspace / "a.txt").read_text() == "the user's"


@pytest.mark.parametrize("planted", ["fifo", "directory"])
async def test_an_undo_puts_back_no_file_planted_where_a_lost_attempt_left_the_copy(
    ctx: ToolContext, workspace: Path, run: dict[str, str], planted: str
) -> None:
    # A worker lost mid-undo left the copy in the workspace (.a.txt.<token>.back, a name the plan knows: its
    # token is the write's output); a program there put a FIFO in its place. The next attempt hashed the FIFO
    # (a writer feeding it held the worker's thread for ever), then put it at the user's path: "restored".
    (workspace / "a.txt").write_text("the user's")
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    back = workspace / f".a.txt.{written['previous'][:12]}.back"
    os.rename(_folder(workspace) / written["previous"], back)
    back.rename(workspace / "taken")
    os.mkfifo(back) if planted == "fifo" else back.mkdir()
    with pytest.raises(ToolError) as refused:
        await call(DELETE, ctx, **_undo_of(written))
    assert refused.value.code == "not_a_file", refused.value
    assert (workspace / "a.txt").read_text() == "hi"


async def test_an_undo_reads_no_file_of_a_size_no_write_wrote(
    ctx: ToolContext, workspace: Path, run: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The undo hashed whatever was at the path to find it changed: a file of gigabytes put there (a program's
    # output, a sparse file of a terabyte) held it past its activity's timeout, its retries waiting behind it.
    (workspace / "a.txt").write_text("the user's")
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    later = await call(WRITE, undoing(ctx), path="a.txt", content="a later write")
    with (workspace / "a.txt").open("r+b") as big:
        big.truncate(1 << 20)  # changed in place by a program, to a size no write wrote
    hashed: list[int] = []
    sha256_of = workspace_module.sha256_of

    def noted(fd: int) -> str:
        hashed.append(os.fstat(fd).st_size)
        return sha256_of(fd)

    for module in (replaced, replaced_files):  # each reads a file's SHA-256
        monkeypatch.setattr(module, "sha256_of", noted)
    for each in (written, later):
        undone = await call(DELETE, ctx, **_undo_of(each))
        assert undone["restored"] is False and "changed since it was written" in undone["reason"]
    assert 1 << 20 not in hashed, hashed
    assert (workspace / "a.txt").stat().st_size == 1 << 20


async def test_a_worker_lost_mid_write_over_the_same_bytes_keeps_the_users_file(
    ctx: ToolContext, workspace: Path, run: dict[str, str]
) -> None:
    # The write of "X" over the user's "X" (a file of its own: linked as b.txt too) exchanged them, then its
    # worker died. Its temp file held the user's file, of the write's bytes: taken for the write's own, never
    # put in, it was removed, and the undo left the write's file at the path, no longer the user's b.txt.
    (workspace / "a.txt").write_text("X")
    os.link(workspace / "a.txt", workspace / "b.txt")
    keeper = replaced.Keeper.of_call(ctx.confinement.files)
    assert keeper.ready()
    keeper.written = hashlib.sha256(b"X").hexdigest()
    (workspace / ".a.txt.lost.tmp").write_text("X")  # the write's temp file
    keeper.file = [os.stat(workspace / ".a.txt.lost.tmp").st_dev, os.stat(workspace / ".a.txt.lost.tmp").st_ino]
    keeper._say("a.txt", "pending", ".a.txt.lost.tmp")
    parent = os.open(workspace, os.O_RDONLY | os.O_DIRECTORY)
    try:
        replaced._rename2(parent, ".a.txt.lost.tmp", "a.txt", replaced.RENAME_EXCHANGE)
    finally:
        os.close(parent)
    undone = await call(DELETE, ctx, path="a.txt", previous=keeper.token)
    assert undone["restored"] is True, undone
    assert (workspace / "a.txt").stat().st_ino == (workspace / "b.txt").stat().st_ino, "the user's own file"
    assert sorted(p.name for p in workspace.iterdir()) == ["a.txt", "b.txt"]
