"""Feeding and reading the shared tool history (ToolHealthWorkflow) from the worker side.

Outcomes are reported from the activity side, not by the orchestration workflow: no extra command
or activity per step, and the run's event history stays as it was. A worker batches them and sends
one signal-with-start every FLUSH_EVERY_S; statistics may lose the last batch if the worker dies,
which costs a little accuracy and never a run.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime

from temporalio import activity
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from orchestra.health import (
    MAX_ERROR_TYPE,
    MAX_TOOL_NAME,
    CircuitBreakerSettings,
    HealthSnapshot,
    ToolOutcome,
    health_workflow_id,
)
from orchestra.temporal_bounds import WORKFLOW_TASK_TIMEOUT
from workflows.tool_health import HealthState, ToolHealthWorkflow

FLUSH_EVERY_S = 0.2
MAX_PENDING = 10_000
log = logging.getLogger(__name__)


class HealthReporter:
    def __init__(self, client: Client, task_queue: str, settings: CircuitBreakerSettings | None = None) -> None:
        self.client = client
        self.task_queue = task_queue
        self.workflow_id = health_workflow_id(task_queue)
        self.settings = settings or CircuitBreakerSettings()
        self._pending: list[ToolOutcome] = []
        self._flusher: asyncio.Task[None] | None = None

    def add(self, outcome: ToolOutcome) -> None:
        if len(self._pending) < MAX_PENDING:
            self._pending.append(outcome)
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.get_running_loop().create_task(self._flush_soon())

    async def _flush_soon(self) -> None:
        await asyncio.sleep(FLUSH_EVERY_S)
        await self.flush()

    async def flush(self) -> None:
        batch, self._pending = self._pending, []
        if not batch:
            return
        try:
            await self.client.start_workflow(
                ToolHealthWorkflow.run,
                HealthState(settings=self.settings),
                id=self.workflow_id,
                task_queue=self.task_queue,
                task_timeout=WORKFLOW_TASK_TIMEOUT,
                start_signal="record",
                start_signal_args=[batch],
            )
        except Exception as exc:  # statistics must never break a tool call
            log.warning("could not report %d tool outcomes: %s", len(batch), exc)

    async def snapshot(self) -> HealthSnapshot:
        return await read_snapshot(self.client, self.task_queue)


async def read_snapshot(client: Client, task_queue: str) -> HealthSnapshot:
    """The shared history, or an empty one if nothing was reported yet."""
    handle = client.get_workflow_handle(health_workflow_id(task_queue))
    try:
        snap: HealthSnapshot = await handle.query("snapshot", result_type=HealthSnapshot)
        return snap
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return HealthSnapshot()
        raise


class HealthActivities:
    def __init__(self, reporter: HealthReporter) -> None:
        self.reporter = reporter

    @activity.defn(name="open_circuits")
    async def open_circuits(self, tools: list[str]) -> list[str]:
        """Which of ``tools`` have an open circuit in the shared history (for OrchestrationWorkflow)."""
        with contextlib.suppress(RPCError):
            snap = await self.reporter.snapshot()
            now = datetime.now(UTC)
            return [t for t in tools if snap.circuit(t, now) == "open"]
        return []


def outcome_now(tool: str, ok: bool, started: datetime, error_type: str | None = None) -> ToolOutcome:
    now = datetime.now(UTC)
    return ToolOutcome(  # cut to what the health workflow takes: a name or type too long would not be counted
        tool=tool[:MAX_TOOL_NAME],
        ok=ok,
        latency_ms=(now - started).total_seconds() * 1000,
        error_type=error_type[:MAX_ERROR_TYPE] if error_type else None,
        at=now,
    )
