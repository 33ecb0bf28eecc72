"""Events that land in one workflow task, made so on purpose: the worker holds its next activation (its workflow task
in flight, so the server buffers what happens meanwhile) until the test lets it go; the workflow task after it then
brings every buffered event in one activation, as a loaded worker or a flood brings them by chance."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

HOLD_CEILING_S = 120  # a held activation never outlives a hung test by much


class HeldActivations(ThreadPoolExecutor):
    """A worker's ``workflow_task_executor`` that, once armed, holds the next activation until released."""

    def __init__(self) -> None:
        super().__init__(max_workers=8, thread_name_prefix="held_workflow_")
        self._armed = False
        self._which: Callable[[Any], bool] = lambda _activation: True
        self._lock = threading.Lock()
        self.holding = threading.Event()
        self._released = threading.Event()

    def arm(self, which: Callable[[Any], bool] = lambda _activation: True) -> None:
        """Hold the next activation ``which`` accepts (its proto, WorkflowActivation)."""
        with self._lock:
            self._armed, self._which, self._released = True, which, threading.Event()
            self.holding.clear()

    def release(self) -> None:
        self._released.set()

    async def until_holding(self) -> None:
        held = await asyncio.to_thread(self.holding.wait, HOLD_CEILING_S)
        assert held, "no activation came to be held"

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._lock:
            hold = self._armed and bool(args) and self._which(args[0])
            self._armed = self._armed and not hold
        released = self._released
        if not hold:
            return super().submit(fn, *args, **kwargs)

        def held() -> Any:
            self.holding.set()
            released.wait(HOLD_CEILING_S)
            return fn(*args, **kwargs)

        return super().submit(held)
