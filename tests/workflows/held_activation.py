"""Events that land in one workflow task, made so on purpose: the worker holds its next activation (its workflow task
in flight, so the server buffers what happens meanwhile) until the test lets it go; the workflow task after it then
brings every buffered event in one activation, as a loaded worker or a flood brings them by chance."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from temporalio.client import Client, WorkflowHandle

from orchestra import limits, plan_chain
from orchestra.calls import RunRequest
from orchestra.control import RESUME_SIGNAL
from orchestra.plan import parse_plan
from orchestra.plan_chain import first_run_args
from tests.helpers import until
from tests.workflows.flood_support import flood
from workflows.orchestration import OrchestrationWorkflow

HOLD_CEILING_S = 120  # a held activation never outlives a hung test by much
HOLD_TASK = timedelta(minutes=5)  # the held task is failed by the buffer's limit, not by its timeout (10 s by default)
ENDS_WITHIN_S = 120  # a ceiling for a run that never ends, not a margin
STOP_BYTES = 1024 * 1024  # the history stop the forcing signals take a run past
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


async def start_held_plan(client: Client, task_queue: str, plan: dict[str, Any]) -> WorkflowHandle[Any, Any]:
    """A run of ``plan`` whose workflow tasks may be held (HOLD_TASK) without timing out."""
    return await client.start_workflow(
        OrchestrationWorkflow.run, args=first_run_args(RunRequest(plan=parse_plan(plan))),
        id=f"test-{uuid.uuid4()}", task_queue=task_queue, task_timeout=HOLD_TASK,
    )  # fmt: skip


def stop_lowered(monkeypatch: pytest.MonkeyPatch) -> None:
    """The history stop at STOP_BYTES (the run reads it where it is used), the hand-over's bound below it."""
    monkeypatch.setattr(plan_chain, "HISTORY_STOP_BYTES", STOP_BYTES)
    monkeypatch.setattr(limits, "BYTES_PER_RUN", STOP_BYTES // 2)  # below the stop, as the product's are
