"""One undo of a path at a time, whichever thread or worker process runs it. An attempt given up before its
activity's timeout goes on in its thread; its retry, in that worker or another on the same workspace, ran beside it:
it said "already absent" of the file the first was hashing aside, or put that file back under it. Now the retry waits
for the first (and says so when its own time is out), and the first's error says where the file is meanwhile."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from orchestra import workspace as workspace_module
from orchestra.errors import ToolError
from orchestra.tool_spec import ToolContext
from orchestra.tools import cleanup
from tests.tools.test_files import DELETE, WRITE, call
from tests.tools.test_write_undo import _undo_of, undoing

CHECKED = b"the file the undo wrote\n" * 1000
CHECKED_SHA256 = hashlib.sha256(CHECKED).hexdigest()
REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("edited", [False, True])
async def test_a_retry_waits_for_the_thread_still_checking_the_file_aside(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch, edited: bool
) -> None:
    content = b"the user's edit" if edited else CHECKED
    (workspace / "a.txt").write_bytes(content)
    started, go_on = threading.Event(), threading.Event()
    hashed = workspace_module.sha256_of

    def slow(fd: int) -> str:  # a file of gigabytes
        started.set()
        go_on.wait(20)
        return hashed(fd)

    monkeypatch.setattr(workspace_module, "sha256_of", slow)
    monkeypatch.setattr(cleanup, "time_left", lambda: 0.3)
    try:
        with pytest.raises(ToolError) as stopped:
            await call(DELETE, ctx, path="a.txt", only_if_sha256=CHECKED_SHA256)
        assert started.is_set() and stopped.value.code == "undo_unfinished", stopped.value
        where = re.search(r"is at '([^']+\.deleting)'", str(stopped.value))
        assert where and (workspace / where[1]).read_bytes() == content, stopped.value
        with pytest.raises(ToolError) as waited:  # the retry, while the first attempt's thread still hashes
            await call(DELETE, ctx, path="a.txt", only_if_sha256=CHECKED_SHA256)
        assert "still running" in str(waited.value), waited.value
        assert os.listdir(workspace) == [where[1]], "neither said absent nor put back under the first attempt"
    finally:
        go_on.set()
    monkeypatch.setattr(cleanup, "time_left", lambda: None)
    again = await call(DELETE, ctx, path="a.txt", only_if_sha256=CHECKED_SHA256)  # waits for the first's end
    if edited:
        assert again["deleted"] is False and "changed" in again["reason"], again
        assert os.listdir(workspace) == ["a.txt"] and (workspace / "a.txt").read_bytes() == content
    else:
        assert again == {"path": "a.txt", "deleted": False, "reason": "already absent", "restored": False}
        assert os.listdir(workspace) == []


def _until(path: Path, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the other worker process never began its undo"
        time.sleep(0.01)


def _undo_in_another_process(workspace: Path, tmp_path: Path) -> tuple[subprocess.Popen[bytes], Path, Path]:
    started, go = tmp_path / "started", tmp_path / "go"
    argv = [sys.executable, "-m", "tests.tools.slow_undo_process", str(workspace), "a.txt", CHECKED_SHA256]
    process = subprocess.Popen([*argv, str(started), str(go)], cwd=REPO, stdout=subprocess.PIPE)
    _until(started, process)
    return process, started, go


async def test_a_retry_in_another_worker_process_waits_for_the_first(
    ctx: ToolContext, workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workspace / "a.txt").write_bytes(CHECKED)
    first, _, go = _undo_in_another_process(workspace, tmp_path)
    try:
        monkeypatch.setattr(cleanup, "time_left", lambda: 0.5)
        with pytest.raises(ToolError) as waited:
            await call(DELETE, ctx, path="a.txt", only_if_sha256=CHECKED_SHA256)
        assert "still running" in str(waited.value), waited.value
        [aside] = os.listdir(workspace)
        assert aside.endswith(".deleting") and (workspace / aside).read_bytes() == CHECKED
    finally:
        go.touch()
        out, _ = first.communicate(timeout=60)
    assert b'"deleted": true' in out, out
    monkeypatch.setattr(cleanup, "time_left", lambda: None)
    again = await call(DELETE, ctx, path="a.txt", only_if_sha256=CHECKED_SHA256)
    assert again["reason"] == "already absent" and os.listdir(workspace) == []


async def test_a_worker_killed_mid_check_leaves_its_lock_to_the_next_undo(
    ctx: ToolContext, workspace: Path, tmp_path: Path
) -> None:
    (workspace / "a.txt").write_bytes(b"the user's edit")
    first, _, _ = _undo_in_another_process(workspace, tmp_path)
    first.kill()
    first.wait(timeout=60)
    done = await call(DELETE, ctx, path="a.txt", only_if_sha256=CHECKED_SHA256)  # its lock went with it
    assert done["deleted"] is False and "changed" in done["reason"], done
    assert os.listdir(workspace) == ["a.txt"] and (workspace / "a.txt").read_bytes() == b"the user's edit"


async def test_the_undo_of_a_made_file_of_another_size_keeps_it_unread(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its record's size: a file of gigabytes at the name was hashed whole, past the undo's time, to be kept.
    written = await call(WRITE, undoing(ctx), path="big.txt", content="hi")
    with (workspace / "big.txt").open("ab") as grown:  # in place: the write's file, of another size now
        grown.write(b"x" * 5_000_000)
    reads = [0]
    hashed = workspace_module.sha256_of

    def counted(fd: int) -> str:
        reads[0] += 1
        return hashed(fd)

    monkeypatch.setattr(workspace_module, "sha256_of", counted)
    kept = await call(DELETE, ctx, **_undo_of(written))
    assert kept["deleted"] is False and "changed since it was written" in kept["reason"], kept
    assert reads[0] == 0 and (workspace / "big.txt").stat().st_size == 5_000_002


async def test_an_undo_of_a_made_file_out_of_time_names_the_file_not_a_copy(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The write made its file (its record names no copy): "what the write replaced is kept beside the workspace" was
    # said of nothing, and the file hidden while it was checked was not named.
    written = await call(WRITE, undoing(ctx), path="new.txt", content="hi")
    go_on = threading.Event()
    hashed = workspace_module.sha256_of

    def slow(fd: int) -> str:
        go_on.wait(20)
        return hashed(fd)

    monkeypatch.setattr(workspace_module, "sha256_of", slow)
    monkeypatch.setattr(cleanup, "time_left", lambda: 0.3)
    try:
        with pytest.raises(ToolError) as stopped:
            await call(DELETE, ctx, **_undo_of(written))
        said = str(stopped.value)
        assert "kept beside" not in said and re.search(r"is at '\.new\.txt\.[0-9a-f]{12}\.deleting'", said), said
    finally:
        go_on.set()
