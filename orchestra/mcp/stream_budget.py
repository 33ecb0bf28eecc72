"""How much a server's own event stream (GET) may send per window of time, and how long its client waits
before reopening it.

That stream lives as long as the link and is no request's, so no count of events ends it: each event is
bounded (``sse``), but a server sending small events without end kept the worker's event loop busy for the
link's whole life (64 events a turn). Past a window's budget the stream is closed and reopened when the
window ends, as after any stream that ended: the server's notifications and requests still come, at most
a budget's worth per window.
"""

from __future__ import annotations

import time

# A server's own stream carries notices (a change of its tools, a log line) and pings: a few a second.
OWN_STREAM_WINDOW_S = 10.0
OWN_STREAM_EVENTS = 1_000
OWN_STREAM_BYTES = 4 * 1024 * 1024
# A server's ``retry:`` may slow its client's reopening, not stop it: 999,999,999 ms kept a stream closed
# for 11.6 days, the server's notices (a change of its tools) unseen all that time. A server restarting
# or shedding load is back within a minute; one that is not gets tried again after another.
MAX_RECONNECT_S = 60.0


class WindowBudget:
    """Events and bytes spent in the current window; the window starts at the first spending after the
    last one ended, and is not reset by a stream's reopening (a server cannot buy a new budget by closing
    its own stream)."""

    def __init__(self) -> None:
        self.events, self.size, self.window_s = OWN_STREAM_EVENTS, OWN_STREAM_BYTES, OWN_STREAM_WINDOW_S
        self._start = -self.window_s
        self._spent_events = 0
        self._spent_bytes = 0

    def spend(self, size: int) -> str | None:
        """Spends one event of ``size`` bytes; past the budget, why (the stream is to close)."""
        now = time.monotonic()
        if now - self._start >= self.window_s:
            self._start, self._spent_events, self._spent_bytes = now, 0, 0
        self._spent_events += 1
        self._spent_bytes += size
        if self._spent_events > self.events:
            return f"over {self.events} events in {self.window_s:g} s"
        if self._spent_bytes > self.size:
            return f"over {self.size} bytes of events in {self.window_s:g} s"
        return None

    def exhaust(self) -> None:
        """Spends what is left of this window (a stream refused for its bounds reopens after it)."""
        now = time.monotonic()
        if now - self._start >= self.window_s:
            self._start = now
        self._spent_events = self.events + 1

    def left_s(self) -> float:
        """How long until the window ends, if its budget is spent; else 0."""
        if self._spent_events <= self.events and self._spent_bytes <= self.size:
            return 0.0
        return max(0.0, self._start + self.window_s - time.monotonic())


def reconnect_delay_s(retry_ms: int | None, least_s: float) -> float:
    """How long to wait before reopening a stream whose server asked for ``retry_ms``: never less than
    ``least_s``, never more than MAX_RECONNECT_S."""
    return min(max((retry_ms or 0) / 1000, least_s), MAX_RECONNECT_S)


def backoff_s(tries: int, least_s: float) -> float:
    """How long to wait after ``tries`` reopenings in a row that brought nothing: ``least_s`` doubled each
    time, up to MAX_RECONNECT_S (0 after none)."""
    return 0.0 if tries <= 0 else min(least_s * 2 ** min(tries - 1, 16), MAX_RECONNECT_S)
