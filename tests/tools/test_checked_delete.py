"""A checked delete (``only_if_sha256``, an undo's) deletes the file it hashed, as it was hashed, or nothing.
Bytes another program writes in place while the delete hashes the file make it another file: kept at its name.
A file that is not deleted goes back to its name; if another was put there meanwhile, neither is lost: it
stays aside, and the delete says where."""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

import pytest

from orchestra import workspace as workspace_module
from orchestra.errors import ToolError
from orchestra.tool_spec import ToolContext
from orchestra.tools import replaced, replaced_files
from tests.tools.test_files import DELETE, WRITE, call
from tests.tools.test_leftovers_only_marked import left_by_a_worker
from tests.tools.test_write_undo import _across_disks, _full_disk, _undo_of, undoing

CHECKED = b"the file the undo wrote\n" * 1000
CHECKED_SHA256 = hashlib.sha256(CHECKED).hexdigest()


async def test_bytes_written_in_place_while_the_file_is_hashed_keep_it(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workspace / "a.txt").write_bytes(CHECKED)
    hashed = workspace_module.sha256_of

    def hashed_then_edited(fd: int) -> str:
        digest = hashed(fd)  # read as the undo wrote it; a program holding the file open writes after the read
        edit = os.open(f"/proc/self/fd/{fd}", os.O_WRONLY)
        try:
            os.pwrite(edit, b"THE USER'S EDIT", 0)
        finally:
            os.close(edit)
        return digest

    monkeypatch.setattr(workspace_module, "sha256_of", hashed_then_edited)
    done = await call(DELETE, ctx, path="a.txt", only_if_sha256=CHECKED_SHA256)
    assert done["deleted"] is False and "changed" in done["reason"]
    assert (workspace / "a.txt").read_bytes().startswith(b"THE USER'S EDIT")
    assert sorted(os.listdir(workspace)) == ["a.txt"]


async def test_a_file_kept_whose_name_was_taken_meanwhile_stays_aside_and_is_said(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workspace / "a.txt").write_bytes(b"the user's edit of the undo's file")

    def hashed_while_a_new_file_is_saved(fd: int) -> str:
        (workspace / "a.txt").write_bytes(b"the user's new file")  # an editor saving at the name
        return "f" * 64

    monkeypatch.setattr(workspace_module, "sha256_of", hashed_while_a_new_file_is_saved)
    done = await call(DELETE, ctx, path="a.txt", only_if_sha256=CHECKED_SHA256)
    assert done["deleted"] is False
    assert (workspace / "a.txt").read_bytes() == b"the user's new file"
    [aside] = [name for name in os.listdir(workspace) if name != "a.txt"]
    assert (workspace / aside).read_bytes() == b"the user's edit of the undo's file"
    assert aside in done["reason"]


async def test_a_checked_delete_of_the_file_as_written_deletes_it_and_leaves_nothing(
    ctx: ToolContext, workspace: Path
) -> None:
    (workspace / "a.txt").write_bytes(CHECKED)
    done = await call(DELETE, ctx, path="a.txt", only_if_sha256=CHECKED_SHA256)
    assert done["deleted"] is True
    assert os.listdir(workspace) == []


async def test_an_undo_keeps_the_write_s_file_written_into_while_it_checks_what_it_took_out(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The undo exchanges the write's file with its copy, then hashes what it took out before deleting it: bytes a
    program holding the file open wrote into it during that read were deleted with it."""
    (workspace / "a.txt").write_bytes(b"the user's before the write")
    written = await call(WRITE, undoing(ctx), path="a.txt", content=CHECKED.decode())
    hashed, reads = workspace_module.sha256_of, [0]

    def edited_after_the_second_read(fd: int) -> str:
        digest = hashed(fd)
        reads[0] += 1
        if reads[0] == 2:  # the first read checks the file at its name; the second what the exchange took out
            edit = os.open(f"/proc/self/fd/{fd}", os.O_WRONLY)
            try:
                os.pwrite(edit, b"THE USER'S EDIT", 0)
            finally:
                os.close(edit)
        return digest

    for module in (workspace_module, replaced, replaced_files):
        monkeypatch.setattr(module, "sha256_of", edited_after_the_second_read)
    done = await call(DELETE, ctx, **_undo_of(written))
    assert reads[0] >= 2
    assert done["restored"] is False and "changed" in done["reason"]
    assert (workspace / "a.txt").read_bytes().startswith(b"THE USER'S EDIT")


async def test_a_retry_that_cannot_keep_never_deletes_a_file_saved_at_its_name_meanwhile(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker lost mid-write left the user's file at the write's temp name; its retry, with no room to keep it,
    put it back (an exchange) and deleted what came out: it had checked the name first, and a file a user saved
    there after the check was the one deleted."""
    monkeypatch.setattr(replaced, "_call", lambda: ("a-run", "0" * replaced_files.TOKEN_CHARS))  # each call the retry
    (workspace / "a.txt").write_text("hi")  # the write's, exchanged in before the worker was lost
    (workspace / ".a.txt.lost.tmp").write_text("the user's")
    keeper = replaced.Keeper.of_call(ctx.confinement.files)
    assert keeper.ready()
    keeper._say("a.txt", "pending", ".a.txt.lost.tmp")
    _across_disks(monkeypatch)
    monkeypatch.setattr(replaced, "require_room", _full_disk)
    exchange, exchanges = replaced._rename2, [0]

    def saved_before_the_exchange(parent: int, source: str, target: str, flags: int) -> None:
        if flags == replaced.RENAME_EXCHANGE:
            exchanges[0] += 1
            if exchanges[0] == 1:  # the user saves a new file just as the retry puts theirs back
                (workspace / ".saving").write_text("the user's new file")
                os.replace(workspace / ".saving", workspace / "a.txt")
        exchange(parent, source, target, flags)

    monkeypatch.setattr(replaced, "_rename2", saved_before_the_exchange)
    with contextlib.suppress(ToolError, OSError):
        await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    assert exchanges[0] >= 1
    assert (workspace / "a.txt").read_text() == "the user's new file"
    assert "the user's" in [path.read_text() for path in workspace.iterdir()]  # aside, its record says where


@pytest.mark.parametrize("edited", [False, True])
async def test_a_file_a_lost_worker_left_aside_is_back_and_checked_as_asked(
    ctx: ToolContext, workspace: Path, edited: bool
) -> None:
    """A worker lost between moving the file aside and deleting it left it as .<name>.<random>.deleting: the undo
    retried said "already absent", the user's edited file hidden for good. It goes back to its name and is checked."""
    content = b"the user's edit" if edited else CHECKED
    (workspace / ".a.txt.0123456789ab.deleting").write_bytes(content)
    left_by_a_worker(workspace, ".a.txt.0123456789ab.deleting")
    done = await call(DELETE, ctx, path="a.txt", only_if_sha256=CHECKED_SHA256)
    if edited:
        assert done["deleted"] is False and "changed" in done["reason"], done
        assert sorted(os.listdir(workspace)) == ["a.txt"] and (workspace / "a.txt").read_bytes() == content
    else:
        assert done["deleted"] is True, done
        assert os.listdir(workspace) == []
