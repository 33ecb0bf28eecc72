"""Where a checked delete leaves a file it did not delete is said to the user, never in the log alone: a directory
(or a FIFO) swapped in and refused, a put-back that fails, a file an earlier delete left aside (its worker lost) while
another took its name. And the hidden names say the user's name as it is, cut at a character's end."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest

from orchestra import workspace as workspace_module
from orchestra.errors import ToolError
from orchestra.tool_spec import ToolContext
from orchestra.tools import replaced
from orchestra.workspace import RENAME_NOREPLACE, TEMP_NAME_BYTES, cut_name
from tests.tools.test_files import DELETE, WRITE, call
from tests.tools.test_leftovers_only_marked import left_by_a_worker
from tests.tools.test_undo_one_at_a_time import _undo_in_another_process
from tests.tools.test_write_undo import _undo_of, undoing

CHECKED = b"the file the undo wrote\n"
CHECKED_SHA256 = hashlib.sha256(CHECKED).hexdigest()


def _swapped_for_a_directory(workspace: Path, monkeypatch: pytest.MonkeyPatch, back: str) -> None:
    """Between the delete's look at a.txt and its move aside, a program puts a directory there; ``back``: what meets
    the move back (``taken``: the user's new file at the name; ``failing``: an I/O error)."""
    rename = workspace_module.rename2

    def swapped(parent: int, source: str, target: str, flags: int) -> None:
        if source == "a.txt":
            (workspace / "a.txt").unlink()
            (workspace / "a.txt").mkdir()
            (workspace / "a.txt" / "the user's work").write_text("kept")
            rename(parent, source, target, flags)
            if back == "taken":
                (workspace / "a.txt").write_text("the user's new file")
            return
        if back == "failing" and flags == RENAME_NOREPLACE:
            raise OSError(errno.EIO, "Input/output error", target)
        rename(parent, source, target, flags)

    monkeypatch.setattr(workspace_module, "rename2", swapped)


@pytest.mark.parametrize("back", ["taken", "failing"])
async def test_a_directory_swapped_in_and_not_put_back_is_named_in_the_error(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch, back: str
) -> None:
    (workspace / "a.txt").write_bytes(CHECKED)
    _swapped_for_a_directory(workspace, monkeypatch, back)
    with pytest.raises(ToolError) as refused:
        await call(DELETE, ctx, path="a.txt", only_if_sha256=CHECKED_SHA256)
    assert refused.value.code == "not_a_file", refused.value  # the first error, not the put-back's
    [aside] = [name for name in os.listdir(workspace) if name.endswith(".deleting")]
    assert f"stays as {aside!r}" in str(refused.value), refused.value
    assert (workspace / aside / "the user's work").read_text() == "kept"


async def test_a_file_kept_that_cannot_go_back_says_where_it_stays(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A put-back failing otherwise than on a file at the name raised its own error: where the file stays, unsaid.
    (workspace / "a.txt").write_bytes(b"the user's edit")
    rename = workspace_module.rename2

    def failing_back(parent: int, source: str, target: str, flags: int) -> None:
        if target == "a.txt":
            raise OSError(errno.EIO, "Input/output error", target)
        rename(parent, source, target, flags)

    monkeypatch.setattr(workspace_module, "rename2", failing_back)
    kept = await call(DELETE, ctx, path="a.txt", only_if_sha256=CHECKED_SHA256)
    [aside] = os.listdir(workspace)
    assert kept["deleted"] is False and f"stays as {aside!r}" in kept["reason"], kept
    assert "changed" in kept["reason"] and (workspace / aside).read_bytes() == b"the user's edit"


async def test_a_file_a_lost_worker_left_aside_under_a_name_taken_since_is_said(
    ctx: ToolContext, workspace: Path, tmp_path: Path
) -> None:
    # A worker killed between moving the user's file aside and its check; the user saved a new one at the name.
    (workspace / "a.txt").write_bytes(b"the user's edit")
    first, _, _ = _undo_in_another_process(workspace, tmp_path)
    first.kill()
    first.wait(timeout=60)
    [aside] = os.listdir(workspace)
    (workspace / "a.txt").write_bytes(CHECKED)  # at the name since: the undo's own bytes, deleted as asked
    done = await call(DELETE, ctx, path="a.txt", only_if_sha256=CHECKED_SHA256)
    assert done["deleted"] is True and f"stays as {aside!r}" in done["reason"], done
    assert os.listdir(workspace) == [aside] and (workspace / aside).read_bytes() == b"the user's edit"


def _no_cut_character(name: str) -> bool:
    try:
        name.encode("utf-8")  # a lone surrogate: a character cut
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize("wide", ["\u00e9", "\u20ac", "\U0001f600"])
def test_a_name_is_cut_at_a_characters_end(wide: str) -> None:
    for ascii_before in range(TEMP_NAME_BYTES - 4, TEMP_NAME_BYTES + 1):
        name = "a" * ascii_before + wide * 10
        cut = cut_name(name)
        assert name.startswith(cut) and _no_cut_character(cut), ascii_before
        assert TEMP_NAME_BYTES - len(wide.encode()) < len(cut.encode()) <= TEMP_NAME_BYTES
    not_utf8 = os.fsdecode(b"b" * 150 + b"\xff" * 100)  # a name a program made: its bytes kept as they are
    assert os.fsencode(cut_name(not_utf8)) == b"b" * 150 + b"\xff" * 50
    assert cut_name("short \u00e9") == "short \u00e9"


async def test_the_hidden_names_of_a_long_accented_name_have_no_cut_character(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "a" * (TEMP_NAME_BYTES - 1) + "\u00e9" * 20  # its 200th byte inside an "é"
    (workspace / name).write_bytes(b"the user's edit")

    def saved_meanwhile(fd: int) -> str:
        (workspace / name).write_bytes(b"the user's new file")
        return "f" * 64

    with monkeypatch.context() as patched:
        patched.setattr(workspace_module, "sha256_of", saved_meanwhile)
        kept = await call(DELETE, ctx, path=name, only_if_sha256=CHECKED_SHA256)
    assert _no_cut_character(kept["reason"]), kept["reason"]
    assert all(_no_cut_character(entry) for entry in os.listdir(workspace))
    keeper = replaced.Keeper.of_call(ctx.confinement.files)
    assert _no_cut_character(keeper.back_name(name, fresh=True)) and _no_cut_character(keeper.back_name(name))
    temps, replace = [], workspace_module._replace

    def noted(parent: int, temp: str, target: str) -> None:
        temps.append(temp)
        replace(parent, temp, target)

    monkeypatch.setattr(workspace_module, "_replace", noted)
    await call(WRITE, ctx, path=name, content="hi")  # a write's temp name, seen by a program listing meanwhile
    assert temps and all(_no_cut_character(temp) for temp in temps), temps


async def test_a_write_keeping_what_it_replaces_keeps_a_file_a_lost_delete_left_aside(
    ctx: ToolContext, workspace: Path
) -> None:
    # The name free, the user's file hidden as .a.txt.<random>.deleting: the write made a new file over nothing, and
    # its undo deleted it; the user's file stayed hidden for good.
    (workspace / ".a.txt.0123456789ab.deleting").write_text("the user's")
    left_by_a_worker(workspace, ".a.txt.0123456789ab.deleting")
    written = await call(WRITE, undoing(ctx), path="a.txt", content="hi")
    assert written["created"] is False and os.listdir(workspace) == ["a.txt"], written
    undone = await call(DELETE, ctx, **_undo_of(written))
    assert undone["restored"] is True and (workspace / "a.txt").read_text() == "the user's", undone


async def test_a_file_left_aside_under_a_cut_name_is_said_never_put_at_another_name(
    ctx: ToolContext, workspace: Path
) -> None:
    # Two names alike in their first 200 bytes have one hidden name: the delete of one put the other's file at it.
    other, name = "b" * 220 + "-other", "b" * 220 + "-this"
    aside = f".{cut_name(other)}.0123456789ab.deleting"
    (workspace / aside).write_text("the other file's")
    left_by_a_worker(workspace, aside)
    done = await call(DELETE, ctx, path=name, only_if_sha256=CHECKED_SHA256)
    assert done["deleted"] is False and f"stays as {aside!r}" in done["reason"], done
    assert os.listdir(workspace) == [aside]


@pytest.mark.parametrize(
    ("name", "longer"),
    [
        ("a" * 200, "a" * 200 + "b"),  # the longer one's hidden name keeps 200 bytes: all of the shorter name
        ("a" * 197 + "é", "a" * 197 + "é€"),  # 199 bytes; the longer cut before its 3-byte character
        ("a" * 197, "a" * 197 + "😀"),  # 197 bytes; the longer cut before its 4-byte character
    ],
)
async def test_a_longer_names_file_left_aside_is_never_put_at_the_name_it_begins_with(
    ctx: ToolContext, workspace: Path, name: str, longer: str
) -> None:
    # The lost delete of the longer name hid its file as .<its first 200 bytes>.<random>.deleting: the name of an
    # uncut name's hidden file, which the delete of that name put at its own name, the other file's bytes there.
    aside = f".{cut_name(longer)}.0123456789ab.deleting"
    assert cut_name(longer) == name
    (workspace / aside).write_text("the longer name's")
    left_by_a_worker(workspace, aside)
    done = await call(DELETE, ctx, path=name, only_if_sha256=CHECKED_SHA256)
    assert done["deleted"] is False and f"stays as {aside!r}" in done["reason"], done
    assert os.listdir(workspace) == [aside]
    written = await call(WRITE, undoing(ctx), path=name, content="hi")  # nor kept by a write there, as its own
    assert written["created"] is True and sorted(os.listdir(workspace)) == sorted([aside, name]), written
