"""Workers for tests that assert what a run does, not how fast the machine runs it.

Temporal's deadlock detector gives each workflow activation 2 s of wall-clock time. On this machine,
shared by several test suites (load above 10 on 2 cores), an activation of a few hundred milliseconds of
CPU waited longer than that for a core and the GIL: the task failed as deadlocked and the test with it,
though the run did nothing wrong. Such tests give their worker more patience, and where what they assert
is "workflow code does little work", they count that work instead of timing it.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import FrameType
from typing import Any

from temporalio.worker import Worker

# Long enough for any activation on a loaded machine; short enough that a real deadlock still ends the test.
PATIENT_DEADLOCK_S = 60


def patient(worker: Worker, seconds: int = PATIENT_DEADLOCK_S) -> Worker:
    """``worker`` with a deadlock detector that waits ``seconds`` (the SDK fixes 2 s, with no option but
    turning it off with debug mode, which also runs activations on the event loop)."""
    workflows = worker._workflow_worker
    assert workflows is not None, "a worker without workflows has no deadlock detector"
    workflows._deadlock_timeout_seconds = seconds
    return worker


class CallCountingExecutor(ThreadPoolExecutor):
    """Runs workflow activations (``Worker(workflow_task_executor=...)``) and keeps the largest number of
    Python and C function calls one of them made: the work of workflow code, as the machine's speed does
    not change it. A walk of a large value in Python costs a call per element; one call into a C or Rust
    function that does the walk costs one."""

    def __init__(self) -> None:
        super().__init__(max_workers=32, thread_name_prefix="counted_workflow_")
        self._lock = threading.Lock()
        self.most_calls = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        return super().submit(self._counted, fn, *args, **kwargs)

    def _counted(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        calls = 0

        def count(_frame: FrameType, event: str, _arg: Any) -> None:
            nonlocal calls
            if event in ("call", "c_call"):
                calls += 1

        sys.setprofile(count)
        try:
            return fn(*args, **kwargs)
        finally:
            sys.setprofile(None)
            with self._lock:
                self.most_calls = max(self.most_calls, calls)
