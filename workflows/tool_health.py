"""ToolHealthWorkflow: the durable performance history and circuit breakers every worker shares.

An entity workflow (one per task queue): workers signal batches of tool outcomes (signal-with-start,
so the first report creates it), selection and OrchestrationWorkflow read it by query. Its state is
bounded (a window of recent calls per tool, at most MAX_TOOLS tools and MAX_SNAPSHOT_BYTES of JSON) and it continues as new when
Temporal suggests it or after MAX_BATCHES_PER_RUN signals, so its history never grows without end.
"""

from __future__ import annotations

from pydantic import BaseModel, Field
from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from orchestra.control import REFUSED_SIGNAL
    from orchestra.health import (
        CircuitBreakerSettings,
        HealthSnapshot,
        ToolOutcome,
        ToolStats,
        apply_outcome,
        forget_least_recent,
        stats_bytes,
    )
    from orchestra.record import RefusedSignal
    from orchestra.temporal_bounds import WORKFLOW_TASK_TIMEOUT

MAX_BATCHES_PER_RUN = 500


class HealthState(BaseModel):
    settings: CircuitBreakerSettings = Field(default_factory=CircuitBreakerSettings)
    snapshot: HealthSnapshot | None = None


@workflow.defn(name="ToolHealthWorkflow")
class ToolHealthWorkflow:
    def __init__(self) -> None:
        self._snapshot = HealthSnapshot()
        self._batches = 0
        self._sizes: dict[str, int] = {}  # stats_bytes of each tool, kept as outcomes change them

    @workflow.run
    async def run(self, state: HealthState) -> None:
        if state.snapshot is not None:
            self._snapshot = state.snapshot
        self._snapshot.settings = state.settings
        await workflow.wait_condition(
            lambda: self._batches >= MAX_BATCHES_PER_RUN or workflow.info().is_continue_as_new_suggested()
        )
        # Let signal handlers finish so no outcome is lost across the hand-over.
        await workflow.wait_condition(workflow.all_handlers_finished)
        workflow.continue_as_new(
            HealthState(settings=state.settings, snapshot=self._snapshot), task_timeout=WORKFLOW_TASK_TIMEOUT
        )

    @workflow.signal
    def record(self, outcomes: list[ToolOutcome]) -> None:
        tools = self._snapshot.tools
        changed = {tool for tool in tools if tool not in self._sizes}  # a run continued as new: not measured yet
        for outcome in outcomes:
            stats = tools.pop(outcome.tool, None) or ToolStats(tool=outcome.tool)  # to the end: reported last
            tools[outcome.tool] = apply_outcome(stats, outcome, self._snapshot.settings)
            changed.add(outcome.tool)
            if self._snapshot.as_of is None or outcome.at > self._snapshot.as_of:
                self._snapshot.as_of = outcome.at
        self._sizes.update((tool, stats_bytes(tools[tool])) for tool in changed)
        forget_least_recent(self._snapshot, self._sizes)
        self._batches += 1

    @workflow.signal(name=REFUSED_SIGNAL)
    def refused_signal(self, refused: RefusedSignal) -> None:
        """Sent by no one: the worker puts it in place of a signal it refused (orchestra.signal_refusal). The
        history keeps it; the statistics do not change."""
        workflow.logger.warning("signal %r refused: %s", refused.signal, refused.reason)

    @workflow.query
    def snapshot(self) -> HealthSnapshot:
        return self._snapshot
