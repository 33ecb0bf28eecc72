"""Keeping a run's search attributes current, so runs can be found by state in the UI and by query."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from orchestra import search_attributes as sa
    from orchestra.record import ExecutionRecord

# Counters (tool calls, tokens) are re-indexed at most this often while a run goes on; a state change
# re-indexes at once. Each upsert is a command and an event: a fast chain must not pay one per step.
INDEX_COUNTERS_EVERY = timedelta(seconds=2)


class SearchIndex:
    def __init__(self) -> None:
        self._indexed: dict[str, Any] = {}  # values last upserted
        self._counters_indexed_at: datetime | None = None

    def update(self, record: ExecutionRecord, *, state_changed: bool = False) -> None:
        """Upsert only what changed since the last upsert."""
        now = workflow.now()
        values: dict[str, Any] = {sa.STATE.name: record.state.value, sa.PLAN.name: record.plan_name}
        due = self._counters_indexed_at is None or now - self._counters_indexed_at >= INDEX_COUNTERS_EVERY
        if state_changed or due:
            values[sa.TOOL_CALLS.name] = record.metrics.tool_call_count
            values[sa.TOKENS.name] = record.metrics.tokens
        changed = {name: value for name, value in values.items() if self._indexed.get(name) != value}
        if not changed:
            return
        if sa.TOOL_CALLS.name in values:
            self._counters_indexed_at = now
        self._indexed.update(changed)
        workflow.upsert_search_attributes(
            [
                key.value_set(changed[key.name])
                for key in (sa.STATE, sa.PLAN, sa.TOOL_CALLS, sa.TOKENS)
                if key.name in changed
            ]
        )
