"""A sandboxed program may open its own standard pipes again by path: `echo x > /dev/stderr` was refused (attack361),
as a root worker's pipes are root's, mode 0600, and the program runs as another uid. Each pipe the worker gives is
opened to others for the way it goes (bwrap's --chmod, while still root); a file or device given (/dev/null) is the
host's and stays as it was. Real programs in real bwrap."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from orchestra.sandbox import Jail, Limits, detect, kill_group

SCRIPT = "echo out > /dev/stdout && echo err > /dev/stderr && cat /dev/stdin && echo fd > /proc/self/fd/2"


@pytest.fixture(autouse=True)
def _bwrap() -> None:
    sandbox = detect("auto")
    if sandbox.mode != "bwrap":
        pytest.skip(f"no sandbox here: {sandbox.reason}")


async def _run(tmp_path: Path, script: str, stdin: int, given: bytes | None) -> tuple[int | None, bytes, bytes]:
    sandbox = detect("auto")
    sandbox.prepare_workspace(tmp_path)
    jail = Jail(workspace=tmp_path, cwd=tmp_path, limits=Limits(cpu_s=60))
    process = await sandbox.spawn(["/bin/sh", "-c", script], jail, stdin=stdin)
    try:
        out, err = await asyncio.wait_for(process.communicate(given), 120)
    finally:
        kill_group(process)
    return process.returncode, out, err


async def test_the_standard_pipes_open_by_path(tmp_path: Path) -> None:
    status, out, err = await _run(tmp_path, SCRIPT, asyncio.subprocess.PIPE, b"in\n")
    assert (status, out, err) == (0, b"out\nin\n", b"err\nfd\n"), (status, out, err)


async def test_a_device_given_is_left_as_it_was(tmp_path: Path) -> None:
    before = os.stat("/dev/null").st_mode
    status, out, _ = await _run(tmp_path, "cat /dev/stdin; echo done", asyncio.subprocess.DEVNULL, None)
    assert (status, out) == (0, b"done\n") and os.stat("/dev/null").st_mode == before
