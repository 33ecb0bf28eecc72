"""Python's cyclic garbage collector, paused while many objects that live on are made.

The collector runs every 700 new container objects and now and then scans every object the process
holds. Loading a 10,000-tool registry (parsed declarations, cards, tools, an index) or starting a
command (hundreds of modules' classes and functions) makes hundreds of thousands of objects that
stay alive and form no reference cycle: each collection meanwhile scans them and finds nothing. A
first `plan` with 10,000 described tools spent about half a second of its CPU time so.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Collection resumes afterwards (a cycle made meanwhile is collected then); nested or already
    paused, this does nothing."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
