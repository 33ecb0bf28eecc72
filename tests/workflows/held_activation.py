"""Events that land in one workflow task, made so on purpose: the worker holds its next activation (its workflow task
in flight, so the server buffers what happens meanwhile) until the test lets it go; the workflow task after it then
brings every buffered event in one activation, as a loaded worker or a flood brings them by chance."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from temporalio.client import Client, WorkflowHandle

from orchestra.control import RESUME_SIGNAL
from tests.helpers import until
from tests.workflows.flood_support import flood

HOLD_CEILING_S = 120  # a held activation never outlives a hung test by much
# Refused signals (`resume` takes no input) over the 2 MiB of events the server buffers while a task runs: it fails
# the held task, and the next brings every buffered event in one activation. The history grows by them (3 MiB).
FORCING_SIGNALS, FORCING_BYTES = 2, 1536 * 1024


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


async def in_one_task(client: Client, handle: WorkflowHandle[Any, Any], held: HeldActivations) -> None:
    """Once the run's activities have ended while ``held`` holds its activation (their completions wait in the
    server's buffer), the held task is failed and let go: the next activation brings them all, with the signals."""

    async def ended() -> bool:
        return not (await handle.describe()).raw_description.pending_activities

    await until(ended)
    await flood(client, handle.id, FORCING_SIGNALS, FORCING_BYTES, RESUME_SIGNAL)
    held.release()
