"""A write keeping what it replaces, or an undo, whose thread begins only once its attempt was given up (every thread
of the worker busy, hashing files of gigabytes) never begins: it went on unseen, a write landing after its run's undo
had put the user's file back, an undo deleting a file made after its retry had ended."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from orchestra.errors import ToolError
from orchestra.tool_spec import ToolContext
from orchestra.tools import cleanup
from tests.tools.test_files import DELETE, WRITE, call
from tests.tools.test_write_undo import _undo_of, undoing


def _with_every_thread_busy(attempt: Callable[[], Awaitable[object]]) -> ToolError:
    """``attempt``, given up with its error while the worker's one thread is busy; then that thread freed, and every
    thread queued before it run."""

    async def main() -> ToolError:
        loop = asyncio.get_running_loop()
        threads = ThreadPoolExecutor(1)
        loop.set_default_executor(threads)
        busy = threading.Event()
        loop.run_in_executor(None, busy.wait, 30)
        try:
            with pytest.raises(ToolError) as stopped:
                await attempt()
        finally:
            busy.set()
        await loop.run_in_executor(None, lambda: None)  # after the given-up attempt's thread, one at a time
        return stopped.value

    return asyncio.run(main())


def test_a_write_given_up_before_its_thread_began_never_writes(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workspace / "a.txt").write_text("the user's")
    monkeypatch.setattr(cleanup, "time_left", lambda: 0.3)
    stopped = _with_every_thread_busy(lambda: call(WRITE, undoing(ctx), path="a.txt", content="late"))
    assert stopped.code == "write_unfinished", stopped
    assert (workspace / "a.txt").read_text() == "the user's", "written after its attempt was given up"


def test_an_undo_given_up_before_its_thread_began_never_deletes(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = asyncio.run(call(WRITE, undoing(ctx), path="new.txt", content="hi"))
    monkeypatch.setattr(cleanup, "time_left", lambda: 0.3)
    stopped = _with_every_thread_busy(lambda: call(DELETE, ctx, **_undo_of(written)))
    assert stopped.code == "undo_unfinished", stopped
    assert (workspace / "new.txt").read_text() == "hi", "deleted after its attempt was given up"
    monkeypatch.setattr(cleanup, "time_left", lambda: None)
    assert asyncio.run(call(DELETE, ctx, **_undo_of(written)))["deleted"] is True  # its retry does it


def test_a_write_cancelled_before_its_thread_began_never_writes(ctx: ToolContext, workspace: Path) -> None:
    # Its run cancelled (no time out of its own): the thread of the write, shielded from the cancel, began later.
    (workspace / "a.txt").write_text("the user's")

    async def cancelled() -> None:
        writing = asyncio.ensure_future(call(WRITE, undoing(ctx), path="a.txt", content="late"))
        await asyncio.sleep(0.2)
        writing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await writing
        raise ToolError("cancelled")

    _with_every_thread_busy(cancelled)
    assert (workspace / "a.txt").read_text() == "the user's", "written after its attempt was cancelled"
