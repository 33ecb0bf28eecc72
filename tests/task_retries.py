"""The task timeout of a run whose failing workflow task a test waits to see retried.

A task failed past its first attempt is not answered (Core lets it time out): it is tried again once its task
timeout is over, the server's default 10 s, which was most of such a test's wall (a run refused while an earlier
instance is stuck, orchestra/deadlocked_evictions.py; a stored input its worker cannot read yet). Past the SDK's 2 s
deadlock detector with room: a first attempt that deadlocks still ends as a deadlock, not timed out."""

from __future__ import annotations

from datetime import timedelta

RETRIED_AFTER = timedelta(seconds=4)
