"""CPU work for a thread that stops when the task awaiting it is cancelled.

``asyncio.to_thread`` cannot stop its thread: a cancelled activity's output pass (masking and measuring a
100 MB output, seconds of Python) ran on to its end, holding one of the few default-executor threads
every activity of the worker shares, for a result nobody would read. Here the work gets a thread of its
own, and a cancel raises ``Interrupted`` in it at its next Python instruction (a C call under way, one
``json.dumps``, finishes first); the awaiting task is cancelled at once, as with to_thread."""

from __future__ import annotations

import asyncio
import contextvars
import ctypes
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class Interrupted(BaseException):
    """Raised inside the thread of a cancelled call; a BaseException, so no ``except Exception`` in the
    work swallows it."""


async def run_interruptibly(work: Callable[..., T], *args: Any, interrupt: bool = True) -> T:
    """``work(*args)`` in a daemon thread of its own. ``interrupt=False`` leaves a cancelled call's thread to
    run on (work that runs an event loop of its own, which an exception raised anywhere in it leaves
    half closed and noisy) where the process ends right after, as a CLI command does."""
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[T] = loop.create_future()
    lock = threading.Lock()
    context = contextvars.copy_context()  # the log's bound fields, as to_thread passes them
    running = True

    def settle(result: T | None, failure: BaseException | None) -> None:
        if answer.done():
            return
        if failure is not None:
            answer.set_exception(failure)
        else:
            answer.set_result(result)  # type: ignore[arg-type]

    def target() -> None:
        nonlocal running
        result: T | None = None
        failure: BaseException | None = None
        try:
            try:
                result = context.run(work, *args)
            except Interrupted:
                return  # the call was cancelled: nobody waits for it
            except BaseException as exc:  # handed to the awaiting task, as to_thread does
                failure = exc
            with lock:
                running = False
            loop.call_soon_threadsafe(settle, result, failure)
        except Interrupted:  # delivered between the work's end and ``running = False``
            pass
        except RuntimeError:  # the loop closed meanwhile: nobody waits either
            pass

    thread = threading.Thread(target=target, name=f"interruptible {getattr(work, '__name__', 'work')}", daemon=True)
    thread.start()
    try:
        return await asyncio.shield(answer)
    except asyncio.CancelledError:
        with lock:
            if running and interrupt:
                _raise_in(thread)
        raise


def _raise_in(thread: threading.Thread) -> None:
    assert thread.ident is not None
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(Interrupted))
