"""The threads that take every sandbox watchdog's looks when they are due (sandbox_memory.py).

A look timed on the event loop woke a cold process three times, four times a second: the loop's timer, a pool thread
to take the look, the loop again for its answer (0.45 ms of CPU a look on a loaded machine before a file was read, as
much again as the look). Here the thread that waits for a look's time takes it, and wakes the loop only with an answer
it must act on: an idle sandbox's look is one wake-up. Two threads, shared by every watchdog, as the pool they replace
for looks: a hostile sandbox's dear looks delay the others' looks, never the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

THREADS = 2
logger = logging.getLogger(__name__)
T = TypeVar("T")


class Ticker:
    """Runs each step given to :meth:`at` at its time, in one of its threads."""

    def __init__(self, threads: int = THREADS) -> None:
        self._due: list[tuple[float, int, Callable[[], None]]] = []
        self._order = itertools.count()  # steps due at once run in the order given, and are never compared
        self._changed = threading.Condition()
        for number in range(threads):
            threading.Thread(target=self._run, name=f"sandbox-looks-{number}", daemon=True).start()

    def at(self, when: float, step: Callable[[], None]) -> None:
        """Run ``step`` at ``when`` (``time.monotonic``), or as soon after as a thread is free."""
        with self._changed:
            heapq.heappush(self._due, (when, next(self._order), step))
            self._changed.notify()

    def _run(self) -> None:
        while True:
            with self._changed:
                while True:
                    now = time.monotonic()
                    if self._due and self._due[0][0] <= now:
                        break
                    self._changed.wait(self._due[0][0] - now if self._due else None)
                _, _, step = heapq.heappop(self._due)
            try:
                step()
            except Exception:  # a thread that died would take every later look with it
                logger.exception("a sandbox watchdog's look failed")


@functools.cache
def ticker() -> Ticker:
    return Ticker()


class Looks(Generic[T]):
    """One watchdog's looks: ``look`` every ``period_s`` in the ticker's threads until it answers (anything but None),
    that answer handed to the event loop; looking again on :meth:`answer`. Once stopped, ``close`` is called by the side
    that holds no look running (the look still running closes when it is done: the loop never waits for a look)."""

    def __init__(self, look: Callable[[], T | None], period_s: float, close: Callable[[], None]) -> None:
        self._loop = asyncio.get_running_loop()
        self._look, self._period_s, self._close = look, period_s, close
        self._lock = threading.Lock()
        self._state = "waiting"  # "looking" while a thread takes one, "stopped" for good
        self._answer: asyncio.Future[T] | None = None

    def answer(self) -> asyncio.Future[T]:
        """The next answer, looking every period from now."""
        self._answer = self._loop.create_future()
        ticker().at(time.monotonic() + self._period_s, functools.partial(self._step, self._answer))
        return self._answer

    def stop(self) -> bool:
        """Look no more; True if the caller is to close (no look runs), False if the running look closes."""
        with self._lock:
            looking = self._state == "looking"
            self._state = "stopped"
        return not looking

    def _step(self, answer: asyncio.Future[T]) -> None:
        with self._lock:
            if self._state == "stopped":
                return
            self._state = "looking"
        found: T | BaseException | None
        try:
            found = self._look()
        except BaseException as exc:  # the loop's to raise: this thread takes every watchdog's looks
            found = exc
        with self._lock:
            stopped = self._state == "stopped"
            if not stopped:
                self._state = "waiting"
        if stopped:
            self._close()
        elif found is None:
            ticker().at(time.monotonic() + self._period_s, functools.partial(self._step, answer))
        else:
            with contextlib.suppress(RuntimeError):  # the loop has closed: no one waits
                self._loop.call_soon_threadsafe(_settle, answer, found)


def _settle(answer: asyncio.Future[T], found: T | BaseException) -> None:
    if answer.done():
        return
    if isinstance(found, BaseException):
        answer.set_exception(found)
    else:
        answer.set_result(found)
