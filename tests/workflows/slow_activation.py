"""A test-only workflow whose activation is slow on purpose, the first time only: past the SDK's deadlock detector
(2 s of wall time for one activation), as a loaded machine made activations of the product's workflows. Imported by
the workflow through the sandbox (passed through), so that "the first time" is the process's, not each replay's."""

from __future__ import annotations

import threading
import time

SLOW_S = 3.0  # past the detector's 2 s


class SlowOnce:
    """Busy for SLOW_S the first time ``busy`` is called after ``arm``, at once the other times."""

    def __init__(self) -> None:
        self._armed = threading.Event()

    def arm(self) -> None:
        self._armed.set()

    def busy(self) -> None:
        if not self._armed.is_set():
            return
        self._armed.clear()
        # Not running Python meanwhile, as a thread of a loaded machine waits for a core: the SDK's interruption of
        # a deadlocked activation lands only when it runs again, anywhere in the activation's code or the SDK's.
        time.sleep(SLOW_S)


SLOW = SlowOnce()
