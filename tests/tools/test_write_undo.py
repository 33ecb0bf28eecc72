"""A write says whether it made its file, and its undo (delete_file) keeps a file the user had before it."""

from __future__ import annotations

import dataclasses
import errno
import os
import stat
import time
from pathlib import Path
from typing import Any

import pytest

from orchestra.disk_space import DiskFull, require_room
from orchestra.errors import ToolError, ToolValidationError
from orchestra.tool_spec import ToolContext
from orchestra.tools import replaced, replaced_files, replaced_sweep
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
    assert kept == {
        "path": "a.txt",
        "deleted": False,
        "reason": "existed before the write it undoes; kept",
        "restored": False,
    }
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
    assert kept == {"path": "missing.txt", "deleted": False, "reason": "already absent", "restored": False}
    (workspace / "d").mkdir()
    (workspace / "link").symlink_to("d")
    for path in ("d", "link"):
        with pytest.raises(ToolValidationError) as refused:
            await call(DELETE, ctx, path=path, only_if_created=False)
        assert refused.value.code == "not_a_file"
    assert (workspace / "d").is_dir() and (workspace / "link").is_symlink()


def undoing(ctx: ToolContext) -> ToolContext:
    """The context of a write whose plan's undo reads its ``previous`` (PlanNode.undo_reads)."""
    return dataclasses.replace(ctx, undo_reads=frozenset({"previous"}))


def _undo_of(written: dict[str, Any]) -> dict[str, Any]:
    return {
        "path": written["path"],
        "only_if_sha256": written["sha256"],
        "only_if_created": written["created"],
        "previous": written["previous"],
    }


async def test_a_write_whose_undo_reads_nothing_keeps_nothing(ctx: ToolContext, workspace: Path) -> None:
    (workspace / "a.txt").write_text("the user's")
    assert (await call(WRITE, ctx, path="a.txt", content="hi"))["previous"] is None
    assert not (workspace.parent / f".{workspace.name}.replaced").exists()


async def test_the_undo_of_a_kept_overwrite_puts_back_what_it_replaced(ctx: ToolContext, workspace: Path) -> None:
    (workspace / "a.txt").write_bytes(b"the user's")
    inode = (workspace / "a.txt").stat().st_ino
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    assert written["created"] is False and written["previous"]
    assert not any("the user's" in p.read_text() for p in workspace.rglob("*") if p.is_file()), "kept out of reach"
    undone = await call(DELETE, ctx, **_undo_of(written))
    assert undone == {"path": "a.txt", "deleted": False, "restored": True,
                      "reason": "what the write replaced was put back"}  # fmt: skip
    assert (workspace / "a.txt").read_bytes() == b"the user's"
    assert (workspace / "a.txt").stat().st_ino == inode, "the user's own file (a huge one is never copied)"
    # Again (a retried undo): the file is the user's now, and stays.
    again = await call(DELETE, ctx, **_undo_of(written))
    assert again["restored"] is False and (workspace / "a.txt").read_bytes() == b"the user's"


async def test_two_kept_overwrites_are_undone_in_turn(ctx: ToolContext, workspace: Path) -> None:
    (workspace / "a.txt").write_text("the user's")
    first = await call(WRITE, undoing(ctx), path="a.txt", content="first")
    second = await call(WRITE, undoing(ctx), path="a.txt", content="second")
    assert (await call(DELETE, ctx, **_undo_of(second)))["restored"] is True
    assert (workspace / "a.txt").read_text() == "first"
    assert (await call(DELETE, ctx, **_undo_of(first)))["restored"] is True
    assert (workspace / "a.txt").read_text() == "the user's"


async def test_a_file_changed_after_a_kept_overwrite_is_kept(ctx: ToolContext, workspace: Path) -> None:
    (workspace / "a.txt").write_text("the user's")
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    (workspace / "a.txt").write_text("edited since")
    undone = await call(DELETE, ctx, **_undo_of(written))
    assert undone["restored"] is False and undone["reason"].endswith(
        ": changed since it was written; kept, what the write replaced not put back"
    )
    assert (workspace / "a.txt").read_text() == "edited since"


async def test_a_kept_overwrite_of_no_file_is_undone_by_deleting(ctx: ToolContext, workspace: Path) -> None:
    written = await call(WRITE, undoing(ctx), path="new.txt", content="hi")
    assert written["created"] is True and written["previous"]  # its record: the file's size and access
    assert (await call(DELETE, ctx, **_undo_of(written)))["deleted"] is True
    assert not (workspace / "new.txt").exists()


async def test_an_undo_names_only_a_copy_of_its_own_path(ctx: ToolContext, workspace: Path) -> None:
    (workspace / "a.txt").write_text("the user's")
    (workspace / "b.txt").write_text("other")
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    for previous, code in ((written["previous"], "bad_previous"), ("../../etc/passwd", "bad_previous")):
        with pytest.raises(ToolValidationError) as refused:
            await call(DELETE, ctx, path="b.txt", only_if_created=False, previous=previous)
        assert refused.value.code == code
    assert (workspace / "b.txt").read_text() == "other"


def _across_disks(monkeypatch: pytest.MonkeyPatch) -> None:
    def across_disks(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "rename", across_disks)


def _full_disk(where: object, adding: int) -> None:
    raise DiskFull("the disk would keep too little")


async def _over_the_users_across_disks(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    """A kept write of "hi" over the user's a.txt, on a workspace that is a disk of its own."""
    _across_disks(monkeypatch)
    (workspace / "a.txt").write_text("the user's")
    return await call(WRITE, undoing(ctx), path="a.txt", content="hi")


async def _written_without_keeping(ctx: ToolContext, workspace: Path) -> None:
    """A kept write over the user's a.txt that could keep nothing: it says so, leaves nothing, its undo keeps."""
    (workspace / "a.txt").write_text("the user's")
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    assert written["previous"] is None and written["created"] is False
    assert sorted(p.name for p in workspace.iterdir()) == ["a.txt"] and (workspace / "a.txt").read_text() == "hi"
    assert list((workspace.parent / f".{workspace.name}.replaced" / "outside-a-run").iterdir()) == []
    assert (await call(DELETE, ctx, **_undo_of(written)))["reason"] == "existed before the write it undoes; kept"


@pytest.fixture
def one_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every call is the same activity's attempt (as a retry's is)."""
    monkeypatch.setattr(replaced, "_call", lambda: ("a-run", "0" * replaced_files.TOKEN_CHARS))


async def test_a_retry_after_a_worker_lost_mid_write_keeps_the_users_file(
    ctx: ToolContext, workspace: Path, one_call: None
) -> None:
    # The first attempt exchanged the files, then its worker died before moving the user's out of the workspace.
    (workspace / "a.txt").write_text("hi")
    (workspace / ".a.txt.lost.tmp").write_text("the user's")
    keeper = replaced.Keeper.of_call(ctx.confinement.files)
    assert keeper.ready()
    keeper._say("a.txt", "pending", ".a.txt.lost.tmp")
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    assert written["created"] is False and written["previous"] == keeper.token
    assert sorted(p.name for p in workspace.iterdir()) == ["a.txt"]
    assert (await call(DELETE, ctx, **_undo_of(written)))["restored"] is True
    assert (workspace / "a.txt").read_text() == "the user's"


async def test_a_retry_of_a_write_that_made_its_file_says_it_made_it(
    ctx: ToolContext, workspace: Path, one_call: None
) -> None:
    first = await call(WRITE, undoing(ctx), path="b.txt", content="hi")
    again = await call(WRITE, undoing(ctx), path="b.txt", content="hi")
    assert first["created"] is True and again["created"] is True, "its undo deletes it, as the first attempt's would"
    assert (await call(DELETE, ctx, **_undo_of(again)))["deleted"] is True


async def test_what_is_no_regular_file_is_never_replaced_nor_kept(ctx: ToolContext, workspace: Path) -> None:
    os.mkfifo(workspace / "pipe")
    with pytest.raises(ToolValidationError) as refused:
        await call(WRITE, undoing(ctx), path="pipe", content="hi")
    assert refused.value.code == "not_a_file"
    assert stat.S_ISFIFO((workspace / "pipe").lstat().st_mode)
    assert sorted(p.name for p in workspace.iterdir()) == ["pipe"], "no temp file left"


async def test_a_copy_is_kept_where_the_workspace_is_a_disk_of_its_own(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _across_disks(monkeypatch)  # the rename of a copy into or out of its folder
    (workspace / "a.txt").write_bytes(b"the user's\x00\xff")
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    assert (await call(DELETE, ctx, **_undo_of(written)))["restored"] is True
    assert (workspace / "a.txt").read_bytes() == b"the user's\x00\xff"
    assert sorted(p.name for p in workspace.iterdir()) == ["a.txt"]


async def test_copies_of_runs_untouched_for_a_week_are_swept(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(replaced_sweep._swept, "at", 0.0)
    kept = workspace.parent / f".{workspace.name}.replaced"
    old, recent = kept / "old-run", kept / "recent-run"
    kept.mkdir(mode=0o700)  # the worker's own, closed to others (else nothing is kept)
    for folder in (old, recent):
        folder.mkdir()
        (folder / "copy").write_text("the user's")
    week_ago = time.time() - replaced_sweep.KEPT_FOR_S - 60
    os.utime(old, (week_ago, week_ago))
    (workspace / "a.txt").write_text("the user's")
    await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    replaced_sweep.sweep_done()  # in a thread of its own
    assert not old.exists() and (recent / "copy").exists()


@pytest.mark.parametrize("exchanged", [False, True])
async def test_an_undo_after_a_worker_lost_mid_undo_ends_the_work(
    ctx: ToolContext, workspace: Path, exchanged: bool
) -> None:
    (workspace / "a.txt").write_text("the user's")
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    back = f".a.txt.{written['previous'][:12]}.back"
    kept = workspace.parent / f".{workspace.name}.replaced" / "outside-a-run" / written["previous"]
    os.rename(kept, workspace / back)  # the copy moved in, then the worker died (before or after the exchange)
    if exchanged:
        parent = os.open(workspace, os.O_RDONLY | os.O_DIRECTORY)
        try:
            replaced._rename2(parent, back, "a.txt", replaced.RENAME_EXCHANGE)
        finally:
            os.close(parent)
    assert (await call(DELETE, ctx, **_undo_of(written)))["restored"] is True
    assert (workspace / "a.txt").read_text() == "the user's"
    assert sorted(p.name for p in workspace.iterdir()) == ["a.txt"]


async def test_an_undo_given_previous_alone_puts_back_rather_than_deletes(ctx: ToolContext, workspace: Path) -> None:
    (workspace / "a.txt").write_text("the user's")
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    undone = await call(DELETE, ctx, path="a.txt", previous=written["previous"])  # a plan written by hand
    assert undone["restored"] is True and (workspace / "a.txt").read_text() == "the user's"


async def test_an_undo_given_previous_alone_keeps_a_file_changed_since(ctx: ToolContext, workspace: Path) -> None:
    # A hand-written undo without only_if_sha256 put the copy back over the change, and the change was gone.
    (workspace / "a.txt").write_text("the user's")
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    (workspace / "a.txt").write_text("changed since")
    undone = await call(DELETE, ctx, path="a.txt", previous=written["previous"])
    assert undone["restored"] is False and "changed since" in undone["reason"]
    assert (workspace / "a.txt").read_text() == "changed since"
    # A SHA-256 the plan gives is not the write's word either: the record's is.
    undone = await call(DELETE, ctx, path="a.txt", previous=written["previous"], only_if_sha256="0" * 64)
    assert undone["restored"] is False and (workspace / "a.txt").read_text() == "changed since"


async def test_a_file_written_to_in_place_while_put_back_is_kept(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another process appends to the file between the undo's check of its SHA-256 and the exchange: same inode.
    give = replaced.Keeper._give

    def give_while_appended(keeper: replaced.Keeper, parent: int, temp: str) -> None:
        with (workspace / "a.txt").open("a") as appending:
            appending.write(" and more")
        give(keeper, parent, temp)

    monkeypatch.setattr(replaced.Keeper, "_give", give_while_appended)
    (workspace / "a.txt").write_text("the user's")
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    undone = await call(DELETE, ctx, **_undo_of(written))
    assert undone["restored"] is False and "changed while it was put back" in undone["reason"]
    assert (workspace / "a.txt").read_text() == "hi and more"
    assert sorted(p.name for p in workspace.iterdir()) == ["a.txt"]
    monkeypatch.undo()
    (workspace / "a.txt").write_text("hi")  # the change undone by hand: the copy is still there to put back
    assert (await call(DELETE, ctx, **_undo_of(written)))["restored"] is True
    assert (workspace / "a.txt").read_text() == "the user's"


@pytest.mark.skipif(os.geteuid() != 0, reason="a folder of another user's is made as root")
@pytest.mark.parametrize(("owner", "mode"), [(65534, 0o700), (0, 0o777)], ids=["another-users", "open-to-all"])
async def test_a_copies_folder_not_the_workers_own_keeps_nothing(
    ctx: ToolContext, workspace: Path, owner: int, mode: int
) -> None:
    # Made beforehand in a shared parent (/tmp): its maker read the user's copies, or changed one before its undo.
    planted = workspace.parent / f".{workspace.name}.replaced"
    planted.mkdir()
    os.chown(planted, owner, owner)
    planted.chmod(mode)
    (workspace / "a.txt").write_text("the user's")
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    assert written["previous"] is None and written["created"] is False
    assert list(planted.iterdir()) == []
    assert (await call(DELETE, ctx, **_undo_of(written)))["reason"] == "existed before the write it undoes; kept"


def test_a_workspace_at_the_root_keeps_nothing() -> None:
    # Its copies' folder would be /..replaced, inside the workspace: its plans' read_file would reach them.
    from orchestra.workspace import Workspace

    keeper = replaced.Keeper.of_call(Workspace(Path("/")))
    assert keeper.folder.parent == Path("/..replaced")
    assert not keeper.ready() and not keeper.folder.parent.exists()


async def test_a_workspace_reached_through_a_link_keeps_beside_its_real_path(ctx: ToolContext, workspace: Path) -> None:
    # Beside the link, the copies were on the link's disk: a copy of each file where the workspace's own is a rename.
    link = workspace.parent / "linked"
    link.symlink_to(workspace)
    linked = dataclasses.replace(ctx, confinement=dataclasses.replace(ctx.confinement, workspace=link))
    (workspace / "a.txt").write_text("the user's")
    await call(WRITE, undoing(linked), path="a.txt", content="hi")
    assert (workspace.parent / f".{workspace.name}.replaced").is_dir()
    assert not (workspace.parent / ".linked.replaced").exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="a file of another user's is made as root")
async def test_a_copy_kept_across_disks_comes_back_with_its_mode_and_owner(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _across_disks(monkeypatch)
    secret = workspace / "key.pem"
    secret.write_text("the user's key")
    os.chown(secret, 65534, 65534)
    secret.chmod(0o600)  # a private file came back 0644, the worker's: readable by all
    written = await call(WRITE, undoing(ctx), path="key.pem", content="hi")
    assert (await call(DELETE, ctx, **_undo_of(written)))["restored"] is True
    info = secret.stat()
    assert (stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid) == (0o600, 65534, 65534)
    assert secret.read_text() == "the user's key"


async def test_a_retry_finding_no_regular_file_at_its_temp_name_refuses(
    ctx: ToolContext, workspace: Path, one_call: None
) -> None:
    # The worker died mid-write; meanwhile another process put a FIFO at the temp name the record gives. It was
    # kept as the user's copy, and the undo put the FIFO at a.txt (across disks, reading it held the worker).
    (workspace / "a.txt").write_text("hi")
    os.mkfifo(workspace / ".a.txt.lost.tmp")
    keeper = replaced.Keeper.of_call(ctx.confinement.files)
    assert keeper.ready()
    keeper._say("a.txt", "pending", ".a.txt.lost.tmp")
    with pytest.raises(ToolValidationError) as refused:
        await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    assert refused.value.code == "not_a_file"
    assert (workspace / "a.txt").read_text() == "hi" and not (keeper.folder / keeper.token).exists()


@pytest.mark.parametrize("why", ["no room", "too big"])
async def test_a_copy_that_cannot_be_made_across_disks_writes_without_keeping(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch, why: str
) -> None:
    # The user's file, exchanged out, was then deleted with the temp file; a retry said the write had made a.txt.
    _across_disks(monkeypatch)
    if why == "no room":
        monkeypatch.setattr(replaced, "require_room", _full_disk)
    else:
        monkeypatch.setattr(replaced, "MAX_COPIED_BYTES", 4)
    await _written_without_keeping(ctx, workspace)


async def test_an_undo_across_disks_stopped_by_a_full_disk_leaves_no_part_and_ends_later(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The part copied back stayed in the workspace, and every retry failed on it (File exists).
    written = await _over_the_users_across_disks(ctx, workspace, monkeypatch)
    monkeypatch.setattr(replaced, "require_room", _full_disk)
    with pytest.raises(ToolError) as failed:
        await call(DELETE, ctx, **_undo_of(written))
    assert failed.value.code == "disk_full"
    assert sorted(p.name for p in workspace.iterdir()) == ["a.txt"]
    monkeypatch.setattr(replaced, "require_room", require_room)
    assert (await call(DELETE, ctx, **_undo_of(written)))["restored"] is True
    assert (workspace / "a.txt").read_text() == "the user's"


@pytest.mark.skipif(os.geteuid() != 0, reason="a folder of another user's is made as root")
async def test_an_undo_reads_nothing_from_a_copies_folder_not_the_workers_own(
    ctx: ToolContext, workspace: Path, one_call: None
) -> None:
    # The folder given to another user after the write, who put a "copy" in it for the token a hand-written undo
    # gives: the undo put that copy at a.txt.
    (workspace / "a.txt").write_text("the user's")
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    assert written["previous"] is not None
    keeper = replaced.Keeper.of_call(ctx.confinement.files)
    os.chown(keeper.folder, 65534, 65534)
    (keeper.folder / keeper.token).write_text("planted")
    undone = await call(DELETE, ctx, path="a.txt", previous=keeper.token)
    assert undone["restored"] is False and (workspace / "a.txt").read_text() == "hi"


async def test_an_undo_across_disks_after_a_worker_lost_mid_copy_ends_the_work(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = await _over_the_users_across_disks(ctx, workspace, monkeypatch)
    keeper = replaced.Keeper.of_call(ctx.confinement.files, written["previous"])
    keeper._of_record(keeper.state("a.txt") or {})
    back = keeper.back_name("a.txt", fresh=True)
    keeper._say("a.txt", "returning", back, over=written["sha256"], folds=[])
    (workspace / back).write_text("the us")  # the part copied, then death
    assert (await call(DELETE, ctx, **_undo_of(written)))["restored"] is True
    assert sorted(p.name for p in workspace.iterdir()) == ["a.txt"]
    assert (workspace / "a.txt").read_text() == "the user's"


@pytest.mark.skipif(os.geteuid() != 0, reason="a file of another user's is made as root")
@pytest.mark.parametrize("keeping", [False, True], ids=["plain", "kept"])
async def test_a_file_written_over_keeps_who_may_read_it(ctx: ToolContext, workspace: Path, keeping: bool) -> None:
    # A user's 0600 file written over was 0644 and root's: its new content readable by all, its user locked out.
    secret, program = workspace / "key.txt", workspace / "tool"
    for path, mode in ((secret, 0o600), (program, 0o4755)):
        path.write_text("the user's")
        os.chown(path, 65534, 65534)
        path.chmod(mode)
    writing = undoing(ctx) if keeping else ctx
    for name in ("key.txt", "tool"):
        await call(WRITE, writing, path=name, content="summary", encoding="latin-1")
    assert [(stat.S_IMODE(p.stat().st_mode), p.stat().st_uid) for p in (secret, program)] == [
        (0o600, 65534),
        (0o755, 65534),  # never a set-id bit on what a plan wrote
    ]


async def test_a_disk_that_cannot_exchange_two_files_writes_without_keeping(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(parent: int, source: str, target: str, flags: int) -> None:
        raise OSError(errno.EINVAL, "Invalid argument", target)  # renameat2 on a disk without RENAME_EXCHANGE

    monkeypatch.setattr(replaced, "_rename2", refused)
    await _written_without_keeping(ctx, workspace)


async def test_a_retry_that_finds_no_room_to_keep_puts_the_users_file_back_first(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch, one_call: None
) -> None:
    # The first attempt exchanged the files and died; the retry could not copy the user's file across disks
    # and failed, again at each attempt: the user's file stayed under the temp name, hidden in the workspace.
    (workspace / "a.txt").write_text("hi")
    (workspace / ".a.txt.lost.tmp").write_text("the user's")
    keeper = replaced.Keeper.of_call(ctx.confinement.files)
    assert keeper.ready()
    keeper._say("a.txt", "pending", ".a.txt.lost.tmp")
    _across_disks(monkeypatch)
    monkeypatch.setattr(replaced, "require_room", _full_disk)
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    assert written["previous"] is None and written["created"] is False
    assert sorted(p.name for p in workspace.iterdir()) == ["a.txt"] and (workspace / "a.txt").read_text() == "hi"
    assert list(keeper.folder.iterdir()) == []
