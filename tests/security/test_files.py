"""Files reached through links: a directory swapped for a link to outside while writes are under way,
and a program argument naming a link that leads outside."""

from __future__ import annotations

import ctypes
import os
import threading
import uuid
from pathlib import Path

from orchestra.record import StepState
from tests.security.support import real_settings, run

# Each write and each read is one chance for a path-based implementation to follow the link (a few
# percent per attempt here): enough of them that such an implementation is all but sure to be caught.
ATTEMPTS = 150
RENAME_EXCHANGE = 2
AT_FDCWD = -100


def swap_until(stop: threading.Event, directory: Path, target: Path) -> None:
    """Exchange ``directory`` with a link to ``target``, atomically (renameat2), as fast as possible:
    the name always exists, as the real directory or as the link."""
    libc = ctypes.CDLL(None, use_errno=True)
    link = directory.with_name(directory.name + ".link")
    os.symlink(target, link)
    while not stop.is_set():
        libc.renameat2(AT_FDCWD, bytes(directory), AT_FDCWD, bytes(link), RENAME_EXCHANGE)
    if directory.is_symlink():
        libc.renameat2(AT_FDCWD, bytes(directory), AT_FDCWD, bytes(link), RENAME_EXCHANGE)
    link.unlink()


async def test_a_link_swapped_in_during_writes_never_redirects_them(client, task_queue, tmp_path):
    settings = real_settings(client, task_queue, tmp_path / "ws")
    outside = tmp_path / "outside"
    outside.mkdir()
    (settings.workspace / "logs").mkdir()
    writes = [{"id": f"w{i}", "tool": "write_file", "retry": {"max_attempts": 1},
               "args": {"path": "logs/out.txt", "content": f"{i}\n", "mode": "append", "make_dirs": False}}
              for i in range(ATTEMPTS)]  # fmt: skip
    reads = [{"id": f"r{i}", "tool": "read_file", "retry": {"max_attempts": 1}, "args": {"path": "logs/out.txt"},
              "depends_on": [f"w{i}"], "skip_on_error": True} for i in range(ATTEMPTS)]  # fmt: skip
    (outside / "out.txt").write_text("outside\n")
    stop = threading.Event()
    swapper = threading.Thread(target=swap_until, args=(stop, settings.workspace / "logs", outside), daemon=True)
    swapper.start()
    try:
        record, _ = await run(client, settings, {"name": "swap", "max_parallel": 50, "nodes": [*writes, *reads]})
    finally:
        stop.set()
        swapper.join()
    assert (outside / "out.txt").read_text() == "outside\n", "a write was redirected outside the workspace"
    for step in record.steps:
        if step.state == StepState.COMPLETED and step.tool == "read_file":
            assert "outside" not in step.output["content"], "a read was redirected outside the workspace"
        assert step.state in (StepState.COMPLETED, StepState.ERROR, StepState.SKIPPED), step


async def test_a_program_argument_naming_a_link_that_leads_outside_is_refused(client, task_queue, tmp_path):
    settings = real_settings(client, task_queue, tmp_path / "ws")
    secret = f"outside-{uuid.uuid4().hex}"
    (tmp_path / "private.txt").write_text(secret)
    (settings.workspace / "notes").symlink_to(tmp_path / "private.txt")  # a plain word, no slash
    plan = {"name": "link", "nodes": [{"id": "cat", "tool": "shell", "retry": {"max_attempts": 1},
                                       "args": {"command": ["cat", "notes"]}}]}  # fmt: skip
    record, history = await run(client, settings, plan)
    step = record.step("cat")
    assert step.state == StepState.ERROR and step.error is not None
    assert "outside the workspace" in step.error.message
    assert secret not in history
