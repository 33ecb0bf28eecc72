"""The watchdog's looks are taken in the ticker's threads, and wake the event loop only with an answer (perf387): a
look that finds nothing is rescheduled there; one running when the watch stops closes what it reads once done, and
the loop never waits for it; a look's error is raised on the loop."""

from __future__ import annotations

import asyncio
import threading

import pytest

from orchestra.sandbox_looks import Looks

PERIOD_S = 0.01


async def test_looks_that_find_nothing_never_wake_the_loop() -> None:
    threads: list[threading.Thread] = []

    def look() -> str | None:
        threads.append(threading.current_thread())
        return "over" if len(threads) == 4 else None

    looks = Looks(look, PERIOD_S, lambda: None)
    assert await asyncio.wait_for(looks.answer(), 30) == "over"
    assert len(threads) == 4
    assert threading.current_thread() not in threads
    assert {thread.name.rsplit("-", 1)[0] for thread in threads} == {"sandbox-looks"}
    assert looks.stop()


async def test_a_look_running_when_stopped_closes_once_done() -> None:
    started, release, closed = threading.Event(), threading.Event(), threading.Event()
    closers: list[threading.Thread] = []

    def look() -> str | None:
        started.set()
        release.wait(30)
        return "over"

    def close() -> None:
        closers.append(threading.current_thread())
        closed.set()

    looks = Looks(look, PERIOD_S, close)
    answer = looks.answer()
    assert await asyncio.to_thread(started.wait, 30)
    assert not looks.stop(), "the caller was told to close what a running look reads"
    release.set()
    assert await asyncio.to_thread(closed.wait, 30)
    assert closers and closers[0] is not threading.current_thread()
    await asyncio.sleep(0.1)
    assert not answer.done(), "a stopped watch's look still answered"
    assert len(closers) == 1


async def test_no_look_after_a_stop_between_looks() -> None:
    looked = threading.Event()
    count = 0

    def look() -> None:
        nonlocal count
        count += 1
        looked.set()

    looks: Looks[None] = Looks(look, PERIOD_S, lambda: None)
    looks.answer()
    assert await asyncio.to_thread(looked.wait, 30)
    while not looks.stop():  # stopped while a look ran: try again in the gap between two looks
        looks = Looks(look, PERIOD_S, lambda: None)
        looks.answer()
    seen = count
    await asyncio.sleep(PERIOD_S * 20)
    assert count == seen, "a look ran after the watch stopped between looks"


async def test_a_looks_error_is_raised_on_the_loop() -> None:
    def look() -> None:
        raise OSError("unreadable")

    with pytest.raises(OSError, match="unreadable"):
        await asyncio.wait_for(Looks(look, PERIOD_S, lambda: None).answer(), 30)
