"""CPU work for a thread that stops when the task awaiting it is cancelled.

``asyncio.to_thread`` cannot stop its thread: a cancelled activity's output pass (masking and measuring a
100 MB output, seconds of Python) ran on to its end, holding one of the few default-executor threads
every activity of the worker shares, for a result nobody would read. Here the work gets a thread to
itself while it runs, and a cancel raises ``Interrupted`` in it at its next Python instruction (a C call
under way, one ``json.dumps``, finishes first); the awaiting task is cancelled at once, as with to_thread.

The threads are kept for the next work once theirs ends (up to IDLE_KEPT idle): a tool call hands up to
three passes to one, and a new thread for each, even for a 5 KB output, started 1,000 threads for a
500-step plan. A thread an interrupt was raised in is never reused: it ends, whenever the interrupt lands.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import ctypes
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
IDLE_KEPT = 16  # as many as the passes a busy worker runs at once, most of the time: more end when idle


class Interrupted(BaseException):
    """Raised inside the thread of a cancelled call; a BaseException, so no ``except Exception`` in the
    work swallows it."""


@dataclass
class _Work:
    call: Callable[..., Any]
    args: tuple[Any, ...]
    context: contextvars.Context  # the log's bound fields, as to_thread passes them
    loop: asyncio.AbstractEventLoop
    answer: asyncio.Future[Any]
    cancelled: bool = False  # its caller was cancelled: a work not started yet never starts


class _Runner:
    """A daemon thread running one work at a time, handed to it by ``run_interruptibly``."""

    started = 0  # in this process: bench/run_setup_cost.py reports them

    def __init__(self) -> None:
        self.handed: queue.SimpleQueue[_Work] = queue.SimpleQueue()
        self.lock = threading.Lock()
        self.work: _Work | None = None  # the work under way: only it may be interrupted
        self.interrupted = False  # an interrupt was raised here: the thread ends, never runs another work
        self.thread = threading.Thread(target=self._serve, name="interruptible", daemon=True)
        self.thread.start()

    def hand(self, work: _Work) -> None:
        self.handed.put(work)

    def interrupt(self, work: _Work) -> None:
        """Stops ``work``: before it starts, or in its run; never the work this thread runs next."""
        with self.lock:
            work.cancelled = True
            if self.work is work and not self.interrupted:
                self.interrupted = True
                _raise_in(self.thread)

    def _serve(self) -> None:
        try:
            while self._run(self.handed.get()):
                pass
        except Interrupted:  # landed after the work's end: this thread ends all the same
            pass

    def _run(self, work: _Work) -> bool:
        """Runs ``work`` and settles its answer; whether this thread runs another."""
        with self.lock:
            if work.cancelled:
                return _idle.keep(self)
            self.work = work
        self.thread.name = f"interruptible {getattr(work.call, '__name__', 'work')}"
        result: Any = None
        failure: BaseException | None = None
        try:
            result = work.context.run(work.call, *work.args)
        except Interrupted:
            return False  # the call was cancelled: nobody waits for it
        except BaseException as exc:  # handed to the awaiting task, as to_thread does
            failure = exc
        with self.lock:
            self.work = None
            if self.interrupted:  # raised while the work ran, not yet landed
                return False
        # Idle before its answer is settled: the awaiting task's next pass finds this thread kept, and what
        # it hands over waits in ``handed`` until this answer is settled.
        kept = _idle.keep(self)
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nobody waits either
            work.loop.call_soon_threadsafe(_settle, work.answer, result, failure)
        return kept


class _IdleRunners:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.runners: list[_Runner] = []

    def take(self) -> _Runner:
        with self.lock:
            if self.runners:
                return self.runners.pop()
            _Runner.started += 1
        return _Runner()

    def keep(self, runner: _Runner) -> bool:
        with self.lock:
            if len(self.runners) >= IDLE_KEPT:
                return False
            self.runners.append(runner)
            return True


_idle = _IdleRunners()


def _settle(answer: asyncio.Future[Any], result: Any, failure: BaseException | None) -> None:
    if answer.done():
        return
    if failure is not None:
        answer.set_exception(failure)
    else:
        answer.set_result(result)


async def run_interruptibly(work: Callable[..., T], *args: Any, interrupt: bool = True) -> T:
    """``work(*args)`` in a daemon thread it has to itself while it runs. ``interrupt=False`` leaves a
    cancelled call's thread to run on (work that runs an event loop of its own, which an exception raised
    anywhere in it leaves half closed and noisy) where the process ends right after, as a CLI command does."""
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[T] = loop.create_future()
    handed = _Work(work, args, contextvars.copy_context(), loop, answer)
    runner = _idle.take()
    runner.hand(handed)
    try:
        return await asyncio.shield(answer)
    except asyncio.CancelledError:
        if interrupt:
            runner.interrupt(handed)
        raise


def threads_started() -> int:
    """How many threads the passes have started in this process (bench/run_setup_cost.py counts them)."""
    return _Runner.started


def _raise_in(thread: threading.Thread) -> None:
    assert thread.ident is not None
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(Interrupted))
