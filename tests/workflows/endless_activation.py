"""A test-only activation that never ends until released (a workflow bug that swallows the SDK's deadlock
interruption), counting the threads it holds. Imported by the workflow through the sandbox (passed through), so the
count is the process's, not each instance's."""

from __future__ import annotations

import threading
import time


class EndlessLoop:
    def __init__(self) -> None:
        self.released = threading.Event()
        self._lock = threading.Lock()
        self.inside = 0  # threads in the loop now

    def spin(self) -> None:
        with self._lock:
            self.inside += 1
        try:
            while not self.released.is_set():
                try:
                    time.sleep(0.05)
                except BaseException:  # the SDK's interruption lands here and is swallowed: the bug
                    continue
        finally:
            with self._lock:
                self.inside -= 1


ENDLESS = EndlessLoop()
