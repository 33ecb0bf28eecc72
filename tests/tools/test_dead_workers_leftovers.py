"""What a worker process killed mid-write or mid-delete (SIGKILL) leaves under names of its own: a write's temp file
stayed in the workspace for ever, and a file a delete had moved aside stayed hidden until a write or delete of its name
came. The next write or undo of that path removes the temp files; a worker's start removes them all, and puts the
files moved aside back at their names when free. Never a write under way (too recent), nor a user's file (unmarked:
tests/tools/test_leftovers_only_marked.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from temporalio.client import Client

from orchestra import workspace as workspace_module
from orchestra import workspace_leftovers
from orchestra.tool_spec import ToolContext
from tests.helpers import worker_for
from tests.tools.test_files import DELETE, WRITE, call
from tests.tools.test_undo_one_at_a_time import CHECKED, CHECKED_SHA256, REPO, _until


@pytest.fixture
def old(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every leftover is as old as one a dead worker left (LEFT_AFTER_S is longer than any attempt)."""
    monkeypatch.setattr(workspace_module, "LEFT_AFTER_S", -1.0)


def killed_mid_write(workspace: Path, tmp_path: Path, path: str = "a.txt") -> str:
    """A real worker process writing ``path``, SIGKILLed once its temp file is written: the temp's name."""
    started = tmp_path / f"started-{len(list(tmp_path.iterdir()))}"
    argv = [sys.executable, "-m", "tests.tools.held_write_process", str(workspace), path, str(started)]
    process = subprocess.Popen(argv, cwd=REPO)
    try:
        _until(started, process)
    finally:
        process.kill()
        process.wait(timeout=60)
    folder = (workspace / path).parent
    [temp] = [e for e in os.listdir(folder) if e.endswith(".tmp")]
    assert (folder / temp).read_bytes() == b"the run's\n"
    return temp


async def test_the_next_write_of_the_path_removes_the_temp_file_a_killed_write_left(
    ctx: ToolContext, workspace: Path, tmp_path: Path, old: None
) -> None:
    killed_mid_write(workspace, tmp_path)
    await call(WRITE, ctx, path="a.txt", content="again")
    assert os.listdir(workspace) == ["a.txt"] and (workspace / "a.txt").read_text() == "again"


async def test_the_next_undo_of_the_path_removes_the_temp_file_a_killed_write_left(
    ctx: ToolContext, workspace: Path, tmp_path: Path, old: None
) -> None:
    killed_mid_write(workspace, tmp_path, "sub/a.txt")
    done = await call(DELETE, ctx, path="sub/a.txt", only_if_sha256=CHECKED_SHA256)
    assert done["reason"] == "already absent" and os.listdir(workspace / "sub") == []


async def test_a_recent_temp_file_is_never_taken_for_a_dead_workers(
    ctx: ToolContext, workspace: Path, tmp_path: Path
) -> None:
    """Another worker's write under way (its temp file as recent as this one) keeps its temp file."""
    temp = killed_mid_write(workspace, tmp_path)
    await call(WRITE, ctx, path="a.txt", content="again")
    assert sorted(os.listdir(workspace)) == sorted([temp, "a.txt"])


async def test_a_worker_s_start_sweeps_what_killed_workers_left(
    client: Client, task_queue: str, workspace: Path, tmp_path: Path, old: None
) -> None:
    (workspace / "a.txt").write_bytes(CHECKED)
    aside = killed_mid_delete(workspace, tmp_path, "a.txt")
    killed_mid_write(workspace, tmp_path, "deep/er/b.txt")
    (workspace / "c.txt").write_bytes(CHECKED)
    taken = killed_mid_delete(workspace, tmp_path, "c.txt")
    (workspace / "c.txt").write_text("a file put at its name since")
    users = [".a.txt.backup.tmp", "a.txt.0123456789ab.tmp", ".a.txt.0123456789AB.tmp", ".a.txt.0123456789ab.tmp.x"]
    for name in users:
        (workspace / name).write_text("the user's")
    (workspace / ".d.txt.0123456789ab.tmp").mkdir()  # a directory of that name: never ours
    (workspace / ".e.txt.0123456789ab.deleting").symlink_to("c.txt")  # nor a link
    worker_for(client, task_queue, workspace)
    workspace_leftovers.sweep_done(60)
    assert (workspace / "a.txt").read_bytes() == CHECKED and not (workspace / aside).exists(), "put back"
    assert os.listdir(workspace / "deep" / "er") == [], "the temp file removed"
    assert (workspace / taken).read_bytes() == CHECKED, "another file at its name: it stays aside"
    assert (workspace / "c.txt").read_text() == "a file put at its name since"
    assert all((workspace / name).read_text() == "the user's" for name in users)
    assert (workspace / ".d.txt.0123456789ab.tmp").is_dir() and (
        workspace / ".e.txt.0123456789ab.deleting"
    ).is_symlink()


def killed_mid_delete(workspace: Path, tmp_path: Path, path: str) -> str:
    """A real worker process undoing a write of ``path``, SIGKILLed while it checks the file aside: the aside name."""
    before = set(os.listdir(workspace))
    started, go = tmp_path / f"started-{path}", tmp_path / f"go-{path}"
    argv = [sys.executable, "-m", "tests.tools.slow_undo_process", str(workspace), path, CHECKED_SHA256]
    process = subprocess.Popen([*argv, str(started), str(go)], cwd=REPO, stdout=subprocess.PIPE)
    try:
        _until(started, process)
    finally:
        process.kill()
        process.wait(timeout=60)
    [aside] = [e for e in set(os.listdir(workspace)) - before if e.endswith(".deleting")]
    return aside


def killed_mid_exchange(workspace: Path, tmp_path: Path, path: str) -> str:
    """A real worker process undoing its write over the user's ``path``, SIGKILLed once the user's file is in the
    workspace at its ``.back`` name: that name."""
    before = set(os.listdir(workspace))
    started = tmp_path / f"exchange-{path}"
    argv = [sys.executable, "-m", "tests.tools.held_undo_process", str(workspace), path, str(started)]
    process = subprocess.Popen(argv, cwd=REPO)
    try:
        _until(started, process)
    finally:
        process.kill()
        process.wait(timeout=60)
    [back] = [e for e in set(os.listdir(workspace)) - before if e.endswith(".back")]
    assert (workspace / back).read_text() == "the user's"
    return back


async def test_a_worker_s_start_puts_back_the_user_s_file_a_killed_undo_left_mid_exchange(
    client: Client, task_queue: str, workspace: Path, tmp_path: Path, old: None
) -> None:
    # The undo moved the user's file into the workspace (.a.txt.<random>.back) and was killed before the exchange:
    # the run's end leaves it there, hidden, for ever.
    (workspace / "a.txt").write_text("the user's")
    freed = killed_mid_exchange(workspace, tmp_path, "a.txt")
    (workspace / "a.txt").unlink()  # its name free (the run's file removed since)
    (workspace / "b.txt").write_text("the user's")
    taken = killed_mid_exchange(workspace, tmp_path, "b.txt")  # its name holds the run's file: it stays
    users = [".c.txt.0123456789ab.back.x", "c.txt.0123456789abcdef0123456789abcdef.back",
             ".c.txt.0123456789abcdef0123456789ABCDEF.back", ".c.txt.0123456789abcde.back"]  # fmt: skip
    for name in users:
        (workspace / name).write_text("the user's")
    # Of the form an older worker gave (the write's token), unmarked: a user's file, never taken for a worker's.
    (workspace / ".f.txt.0123456789ab.back").write_text("the user's")
    (workspace / ".d.txt.0123456789ab.back").mkdir()  # a directory of that name: never ours
    (workspace / ".e.txt.0123456789abcdef0123456789abcdef.back").symlink_to("b.txt")  # nor a link
    worker_for(client, task_queue, workspace)
    workspace_leftovers.sweep_done(60)
    assert (workspace / "a.txt").read_text() == "the user's" and not (workspace / freed).exists(), "put back"
    assert (workspace / taken).read_text() == "the user's", "another file at its name: it stays"
    assert (workspace / "b.txt").read_text() == "the run's\n"
    assert all((workspace / name).read_text() == "the user's" for name in users)
    assert (workspace / ".f.txt.0123456789ab.back").read_text() == "the user's" and not (workspace / "f.txt").exists()
    assert (workspace / ".d.txt.0123456789ab.back").is_dir()
    assert (workspace / ".e.txt.0123456789abcdef0123456789abcdef.back").is_symlink()
