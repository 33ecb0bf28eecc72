"""Work handed to a thread stops when the task awaiting it is cancelled (run_tool's output pass)."""

from __future__ import annotations

import asyncio
import threading

import pytest

from activities.tools import _output_value
from orchestra.interruptible import run_interruptibly


def _thread_named(name: str) -> threading.Thread | None:
    return next((t for t in threading.enumerate() if t.name == name), None)


async def test_a_cancelled_pass_stops_its_thread() -> None:
    started, never = threading.Event(), threading.Event()

    def endless_walk() -> None:  # pure Python, as a walk of a huge output is; without the cancel it never ends
        started.set()
        while not never.is_set():
            pass

    task = asyncio.create_task(run_interruptibly(endless_walk))
    assert await asyncio.to_thread(started.wait, 30)
    thread = _thread_named("interruptible endless_walk")
    assert thread is not None
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    thread.join(30)
    ran_on = thread.is_alive()
    never.set()  # a thread that was not stopped ends here, after the check
    assert not ran_on, "the cancelled pass ran on in its thread"


async def test_the_output_pass_answers_as_to_thread_does() -> None:
    output = {"token": "s3cr3t-value", "items": list(range(5))}
    dumped, size, too_deep = await run_interruptibly(_output_value, output, ["s3cr3t-value"])
    assert "s3cr3t-value" not in str(dumped) and size > 0 and not too_deep
    with pytest.raises(ZeroDivisionError):
        await run_interruptibly(lambda: 1 / 0)


async def test_passes_one_after_another_reuse_one_thread() -> None:
    # A tool call hands up to three passes over; a thread started for each, even for a 5 KB output, made
    # 1,000 threads of a 500-step plan.
    threads = {await run_interruptibly(threading.get_ident) for _ in range(20)}
    assert len(threads) == 1


async def test_a_thread_reused_after_a_cancel_runs_the_next_pass_whole() -> None:
    # The cancelled pass's thread ends; the next pass, in a kept thread or a new one, is not interrupted.
    started, never = threading.Event(), threading.Event()

    def endless_walk() -> None:
        started.set()
        while not never.is_set():
            pass

    task = asyncio.create_task(run_interruptibly(endless_walk))
    assert await asyncio.to_thread(started.wait, 30)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    never.set()
    for _ in range(50):
        assert await run_interruptibly(sum, range(10_000)) == sum(range(10_000))
