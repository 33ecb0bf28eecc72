"""A program that keeps swapping a FIFO and a file at a path the file tools use (each swap one rename) never
holds a tool for ever: each call ends, done or refused with a clear error. A FIFO opened to read blocks until a
writer comes: delete_file opened the file it had found regular, and the FIFO put there meanwhile held its thread
(a few such undos took every thread of the worker)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest

from orchestra.errors import ToolError
from orchestra.tool_spec import ToolContext
from tests.tools.test_files import DELETE, READ, WRITE, call
from tests.tools.test_write_undo import _undo_of, undoing

CALLS = 300
# A hang check, not a speed bound: every call ends long before, and a hung one never does.
HUNG_AFTER_S = 120.0


# A program of its own (not a thread of the test's, which waits for the GIL): it swaps as fast as the system lets it.
SWAPPER = """
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
parent = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
spare, name = b".spare", os.fsencode(sys.argv[2])
print("swapping", flush=True)
while True:
    libc.renameat2(parent, spare, parent, name, 2)  # RENAME_EXCHANGE
"""


@contextlib.contextmanager
def _swapping(workspace: Path, name: str) -> Iterator[None]:
    """``name`` and a spare FIFO exchanged (one renameat2 each) in a loop by another process: ``name`` is always
    there, at any moment a regular file or a FIFO."""
    os.mkfifo(workspace / ".spare")
    swapper = subprocess.Popen([sys.executable, "-c", SWAPPER, str(workspace), name], stdout=subprocess.PIPE)
    try:
        assert swapper.stdout is not None and swapper.stdout.readline() == b"swapping\n"
        yield
    finally:
        swapper.kill()
        swapper.wait()


def _ended(calls: Callable[[], Coroutine[Any, Any, None]], workspace: Path) -> None:
    """``calls`` run in a thread of their own, which must end: a hung one is freed (a writer opens every FIFO
    there) after the failure is said."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(calls())
        except BaseException as exc:
            errors.append(exc)

    caller = threading.Thread(target=run, daemon=True)
    caller.start()
    caller.join(HUNG_AFTER_S)
    hung = caller.is_alive()
    while caller.is_alive():
        for fifo in (workspace / "a.txt", workspace / ".spare"):
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        caller.join(0.1)
    assert not hung, "a file tool hung on a FIFO swapped in"
    assert not errors, errors


async def _each_ends(call_once: Callable[[], Awaitable[dict[str, Any]]]) -> None:
    for _ in range(CALLS):
        with contextlib.suppress(ToolError):  # refused ("not a regular file", "changed..."): an end, clearly said
            await call_once()


@pytest.mark.parametrize(
    "tool_call",
    [
        pytest.param(lambda ctx: call(DELETE, ctx, path="a.txt", only_if_sha256="0" * 64), id="delete-if-sha256"),
        pytest.param(lambda ctx: call(READ, ctx, path="a.txt"), id="read"),
        pytest.param(lambda ctx: call(WRITE, ctx, path="a.txt", content="more", mode="append"), id="append"),
        pytest.param(lambda ctx: call(WRITE, undoing(ctx), path="a.txt", content="kept"), id="overwrite-keeping"),
    ],
)
def test_a_fifo_swapped_in_never_holds_a_file_tool(
    ctx: ToolContext, workspace: Path, tool_call: Callable[[ToolContext], Awaitable[dict[str, Any]]]
) -> None:
    (workspace / "a.txt").write_text("the user's")
    with _swapping(workspace, "a.txt"):
        _ended(lambda: _each_ends(lambda: tool_call(ctx)), workspace)


def test_a_fifo_swapped_in_never_holds_an_undo_putting_back(ctx: ToolContext, workspace: Path) -> None:
    (workspace / "a.txt").write_text("the user's")

    async def undos() -> None:
        for _ in range(CALLS // 10):
            written = await call(WRITE, undoing(ctx), path="a.txt", content="written")
            with _swapping(workspace, "a.txt"), contextlib.suppress(ToolError):
                await call(DELETE, ctx, **_undo_of(written))
            with contextlib.suppress(OSError):
                (workspace / ".spare").unlink()
            if (workspace / "a.txt").is_fifo():
                (workspace / "a.txt").unlink()
                (workspace / "a.txt").write_text("the user's")

    _ended(undos, workspace)
