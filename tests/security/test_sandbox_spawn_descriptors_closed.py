"""A spawn that fails part way leaves no descriptor of its own open in the worker (attack395 F4): when a memfd could not
be made (EMFILE), or filled, the ones made before it (``/etc/passwd``'s, ``/etc/group``'s, the filter's) stayed open,
one more each time; a worker out of descriptors then failed every later spawn. Real bwrap for the spawn that works."""

from __future__ import annotations

import asyncio
import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from orchestra import sandbox_seccomp
from orchestra.sandbox import Jail, Limits, detect, kill_group


def _open_descriptors() -> set[str]:
    return set(os.listdir("/proc/self/fd"))  # the listing's own is in neither set: it is closed by then


def _failing_at(call: int, real: Callable[..., Any]) -> Callable[..., Any]:
    """``real``, but its ``call``-th call (from 1) raises EMFILE, as a worker out of descriptors does."""
    calls = 0

    def failing(*arguments: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == call:
            raise OSError(errno.EMFILE, "Too many open files (injected)")
        return real(*arguments)

    return failing


# The memfds spawn makes, in order: /etc/passwd's, /etc/group's, the filter's (where there is one), --args'.
MEMFDS = ["passwd", "group", "filter", "args"]


@pytest.mark.parametrize(("name", "failing"), [*((f"memfd_{name}", name) for name in MEMFDS), ("filled_args", "write")])
async def test_a_spawn_that_fails_part_way_leaves_nothing_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, failing: str
) -> None:
    sandbox = detect("auto")
    if sandbox.mode != "bwrap":
        pytest.skip(f"no sandbox here: {sandbox.reason}")
    made = [memfd for memfd in MEMFDS if memfd != "filter" or sandbox_seccomp.program() is not None]
    if failing not in (*made, "write"):
        pytest.skip("no system call filter here")
    sandbox.prepare_workspace(tmp_path)
    jail = Jail(workspace=tmp_path, cwd=tmp_path, limits=Limits(cpu_s=30))
    before = _open_descriptors()
    if failing == "write":  # the last memfd made, then its filling refused: its descriptor is closed as the others
        monkeypatch.setattr(os, "lseek", _failing_at(len(made), os.lseek))
    else:
        monkeypatch.setattr(os, "memfd_create", _failing_at(made.index(failing) + 1, os.memfd_create))
    with pytest.raises(OSError, match="injected"):
        await sandbox.spawn(["true"], jail)
    monkeypatch.undo()
    assert _open_descriptors() == before, name
    # And the next spawn works, its descriptors closed too once it has started.
    process = await sandbox.spawn(["true"], jail)
    try:
        assert await asyncio.wait_for(process.wait(), 60) == 0
    finally:
        kill_group(process)
    await process.communicate()
    left = {os.readlink(f"/proc/self/fd/{fd}") for fd in _open_descriptors() - before if fd.isdigit()}
    assert not {link for link in left if link.startswith("/memfd:orchestra-sandbox")}, left
