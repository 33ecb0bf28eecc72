"""A root worker's sandbox enters the IPC namespace the worker made for it, or is refused (attack378 F1, F10).

nsenter reopens the namespace by the worker's path ``/proc/WORKER/fd/N``: once the worker closes N, the number may
name another sandbox's namespace. A spawn whose program is not in its namespace in time must fail, its process dead,
and never hand back a process that may yet enter whatever N holds; a cancelled spawn must not keep the namespace's
descriptor. Real bwrap, real nsenter (behind a script that stalls it, as a loaded machine's exec may)."""

from __future__ import annotations

import asyncio
import dataclasses
import os
from pathlib import Path

import pytest

from orchestra.sandbox import Jail, Limits, detect


@pytest.fixture(autouse=True)
def _privileged_bwrap() -> None:
    sandbox = detect("auto")
    if sandbox.mode != "bwrap" or not sandbox.privileged:
        pytest.skip("only a root worker makes the sandbox's IPC namespace (docs/security.md)")


def _jail(tmp_path: Path) -> Jail:
    tmp_path.mkdir(exist_ok=True)
    detect("auto").prepare_workspace(tmp_path)
    return Jail(workspace=tmp_path, cwd=tmp_path, limits=Limits(cpu_s=30))


def _namespace_fds() -> list[str]:
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("ipc:"):
                found.append(fd)
        except OSError:  # listdir's own descriptor, closed
            pass
    return found


async def test_a_spawn_not_in_its_namespace_in_time_is_refused_and_dead(tmp_path: Path) -> None:
    stalled = tmp_path / "stalled_nsenter"
    stalled.write_text(f'#!/bin/sh\nsleep 30\nexec {detect("auto").nsenter} "$@"\n')
    stalled.chmod(0o755)
    sandbox = dataclasses.replace(detect("auto"), nsenter=str(stalled), enter_within_s=1.0)
    before = _namespace_fds()
    with pytest.raises(OSError, match="did not enter its IPC namespace"):
        await sandbox.spawn(["/bin/true"], _jail(tmp_path / "ws"))
    # Dead and reaped before the descriptor was closed: nothing is left to open the number later.
    assert not [pid for pid in os.listdir("/proc") if pid.isdigit() and _runs(pid, str(stalled))]
    assert _namespace_fds() == before


def _runs(pid: str, program: str) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return program.encode() in cmdline.read()
    except OSError:
        return False


async def test_cancelled_spawns_leave_no_namespace_open(tmp_path: Path) -> None:
    sandbox, jail = detect("auto"), _jail(tmp_path)
    before = _namespace_fds()
    for _ in range(20):
        spawning = asyncio.ensure_future(sandbox.spawn(["/bin/true"], jail))
        await asyncio.sleep(0)  # into the namespace's thread
        await asyncio.sleep(0)
        spawning.cancel()
        with pytest.raises(asyncio.CancelledError):
            await spawning
    # The threads still making namespaces close them as they finish.
    for _ in range(600):
        if _namespace_fds() == before:
            break
        await asyncio.sleep(0.1)
    assert _namespace_fds() == before
