"""Keeping a run's search attributes current, so runs can be found by state in the UI and by query."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeKey

with workflow.unsafe.imports_passed_through():
    from orchestra import search_attributes as sa
    from workflows.patches_at_start import patched

# Counters (tool calls, tokens) are re-indexed at most this often while a run goes on; a state change
# re-indexes at once. Each upsert is a command and an event: a fast chain must not pay one per step.
INDEX_COUNTERS_EVERY = timedelta(seconds=2)
FLUSH_SUMMARY = "refresh search attributes"
# Runs of the code before this patch ended with the refresh timer pending; they replay without closing.
CLOSE_PATCH = "search-index-closed-before-the-run-ends"
# Runs of the code before this patch chose between an upsert now and a refresh timer by workflow.now()
# minus the last upsert's time. workflow.now() is not the same in a run and its replay after a local
# activity that outlived its workflow task (the run resumes in the next task, the replay in the first),
# so the replay could take the other branch: a nondeterminism error. Since this patch, only facts the
# history holds decide: a state change, the refresh timer firing, the close.
TIMER_PATCH = "search-index-counters-by-timer"
KEYS: Mapping[str, SearchAttributeKey[Any]] = MappingProxyType({
    "state": sa.STATE, "plan": sa.PLAN, "tool_calls": sa.TOOL_CALLS, "tokens": sa.TOKENS
})  # fmt: skip


@dataclass(frozen=True)
class IndexValues:
    state: str
    plan: str
    tool_calls: int
    tokens: int


class SearchIndex:
    """Upserts only what changed. A state change writes at once, the counters with it; a counter change
    alone is held, and one timer (INDEX_COUNTERS_EVERY, at most one pending) writes it later: a run that
    then waits on a long step still shows its current counts, and a fast chain pays one upsert per
    interval. ``close`` ends that before the run ends."""

    def __init__(self, values: Callable[[], IndexValues], *, by_timer: bool) -> None:
        """``by_timer``: the run has TIMER_PATCH (RunControl asks once, as the run starts)."""
        self._values = values
        self._by_timer = by_timer
        self._indexed: dict[str, Any] = {}  # values last upserted
        self._counters_indexed_at: datetime | None = None
        self._flush: asyncio.Task[None] | None = None
        self._closed = False

    def update(self, *, state_changed: bool = False, refresh: bool = False) -> None:
        now = workflow.now()
        values = {name: sa.keyword(KEYS[name], value) if isinstance(value, str) else value
                  for name, value in asdict(self._values()).items()}  # fmt: skip
        due = self._closed or self._counters_indexed_at is None or refresh
        if not self._by_timer:
            due = due or now - self._counters_indexed_at >= INDEX_COUNTERS_EVERY  # type: ignore[operator]
        if not (state_changed or due):
            if any(self._indexed.get(name) != values[name] for name in ("tool_calls", "tokens")):
                hold = INDEX_COUNTERS_EVERY
                if not self._by_timer:
                    hold = self._counters_indexed_at + INDEX_COUNTERS_EVERY - now  # type: ignore[operator]
                self._flush_later(hold)
            values = {name: values[name] for name in ("state", "plan")}
        changed = {name: value for name, value in values.items() if self._indexed.get(name) != value}
        if "tool_calls" in values:
            self._counters_indexed_at = now
        if not changed:
            return
        self._indexed.update(changed)
        workflow.upsert_search_attributes([KEYS[name].value_set(value) for name, value in changed.items()])

    async def close(self) -> None:
        """Before the run completes, fails, is cancelled or continues as new: cancel the refresh timer and
        write what it held; from here on every change is written at once. A timer still pending when the
        run closes may fire while the closing workflow task runs, and the server refuses a close while an
        event is waiting (UnhandledCommand): the task fails and runs again. Cancelling the timer in the
        closing task, ahead of the close, is what the server expects: a TimerFired that came meanwhile is
        dropped with the timer."""
        if not patched(CLOSE_PATCH):
            return
        self._closed = True
        if self._flush is not None and not self._flush.done():
            self._flush.cancel()
            await workflow.wait([self._flush])  # its CancelTimer command is issued before the close's
        self.update()

    def _flush_later(self, delay: timedelta) -> None:
        if self._flush is None or self._flush.done():
            self._flush = asyncio.create_task(self._flush_after(delay))

    async def _flush_after(self, delay: timedelta) -> None:
        await workflow.sleep(delay, summary=FLUSH_SUMMARY)
        self.update(refresh=self._by_timer)
