"""OrchestrationWorkflow: runs a plan's DAG by readiness, one activity per tool call."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from orchestra import conditions
    from orchestra.calls import RunRequest, ToolCall
    from orchestra.errors import ErrorKind, ExecutionError
    from orchestra.plan import Plan
    from orchestra.record import (
        FINISHED_STEP_STATES,
        AgentState,
        ExecutionRecord,
        StepRecord,
        StepState,
    )
    from orchestra.references import INPUTS, ReferenceError_, resolve
    from orchestra.scheduling import Readiness
    from orchestra.validation import PreparedPlan
    from workflows.activity_options import ACTIVITY_FAILURES, classify_failure
    from workflows.progress import render_details
    from workflows.recovery import Fallbacks, compensate, open_circuits_at_start
    from workflows.search_index import SearchIndex
    from workflows.tool_calls import execute_tool

PREPARE_TIMEOUT = timedelta(seconds=60)


@workflow.defn(name="OrchestrationWorkflow")
class OrchestrationWorkflow:
    def __init__(self) -> None:
        self._record: ExecutionRecord | None = None
        self._paused = False
        self._changed = False
        self._scope: dict[str, Any] = {}
        self._running: dict[str, asyncio.Task[None]] = {}
        self._skip_on_error: dict[str, bool] = {}
        self._held: list[str] = []  # ready steps waiting for a per-tool concurrency slot
        self._fallbacks: Fallbacks | None = None
        self._search_index = SearchIndex()

    @workflow.run
    async def run(self, request: RunRequest) -> ExecutionRecord:
        info = workflow.info()
        self._record = record = ExecutionRecord(
            id=info.workflow_id,
            run_id=info.run_id,
            plan_name=request.plan.name,
            task=request.task,
            started_at=workflow.now(),
        )
        self._show()
        prepared = await self._prepare(request)
        record.steps = [
            StepRecord(node_id=n.id, tool=n.tool, phase=phase, depends_on=prepared.deps[n.id])
            for phase, ids in enumerate(prepared.phases)
            for n in (prepared.plan.node(i) for i in ids)
        ]
        self._scope = {INPUTS: prepared.plan.inputs}
        self._skip_on_error = {n.id: n.skip_on_error for n in prepared.plan.nodes}
        self._fallbacks = Fallbacks(prepared.plan, await open_circuits_at_start(prepared.plan))
        self._set_state(AgentState.PAUSED if self._paused else AgentState.RUNNING)
        try:
            await self._drive(prepared)
            if prepared.plan.compensate_on_failure and self._blocking_failures():
                await compensate(prepared.plan, record, self._scope, self._show)
        except asyncio.CancelledError:
            await self._stop_everything(StepState.CANCELLED, "run cancelled")
            self._finish(AgentState.CANCELLED, ExecutionError.of(ErrorKind.USER_CANCELLED, "run cancelled"))
            raise
        except TimeoutError:
            await self._stop_everything(StepState.CANCELLED, "run deadline reached")
            message = f"plan deadline of {prepared.plan.timeout_s}s reached"
            self._finish(AgentState.ERROR, ExecutionError.of(ErrorKind.TIMEOUT, message))
            raise ApplicationError(message, type=ErrorKind.TIMEOUT, non_retryable=True) from None
        return self._conclude()

    @workflow.query
    def record(self) -> ExecutionRecord | None:
        return self._record

    @workflow.signal
    def pause(self, reason: str = "") -> None:
        """Cooperative pause: running steps finish, no new step starts until resume."""
        self._paused = True
        if self._record:
            self._record.pause_reason = reason or None
            if self._record.state == AgentState.RUNNING:
                self._set_state(AgentState.PAUSED)
        self._changed = True

    @workflow.signal
    def resume(self) -> None:
        self._paused = False
        if self._record and self._record.state == AgentState.PAUSED:
            self._set_state(AgentState.RUNNING)
        self._changed = True

    async def _prepare(self, request: RunRequest) -> PreparedPlan:
        try:
            prepared: PreparedPlan = await workflow.execute_local_activity(
                "prepare_plan",
                request.plan,
                result_type=PreparedPlan,
                start_to_close_timeout=PREPARE_TIMEOUT,
                retry_policy=RetryPolicy(maximum_attempts=3, non_retryable_error_types=[ErrorKind.VALIDATION]),
                summary=f"validate plan {request.plan.name}",
            )
            return prepared
        except ACTIVITY_FAILURES as err:
            error, _ = classify_failure(err, 3)
            self._finish(AgentState.ERROR, error)
            raise ApplicationError(error.message, type=error.type, non_retryable=True) from None

    async def _drive(self, prepared: PreparedPlan) -> None:
        plan = prepared.plan
        record = self._require_record()
        readiness = Readiness(prepared.deps, self._skip_on_error)
        deadline = workflow.now() + timedelta(seconds=plan.timeout_s) if plan.timeout_s else None
        while not all(s.state in FINISHED_STEP_STATES for s in record.steps):
            while not self._paused and len(self._running) < plan.max_parallel:
                batch = self._next_batch(readiness, plan)
                if not batch:
                    break
                for node_id in batch:
                    if self._condition_allows(prepared, node_id):
                        self._running[node_id] = asyncio.create_task(self._run_step(prepared, node_id))
                    else:
                        self._settle(readiness, node_id)
            record.refresh_metrics()
            self._show()
            self._search_index.update(record)
            self._changed = False
            timeout = (deadline - workflow.now()).total_seconds() if deadline else None
            await workflow.wait_condition(
                lambda: self._changed, timeout=timeout, timeout_summary="plan deadline" if deadline else None
            )
            finished = [n for n, task in self._running.items() if task.done()]
            for node_id in finished:
                del self._running[node_id]
                self._settle(readiness, node_id)
            # Decided after all finished steps are settled: stopping empties _running, and several steps
            # can finish in one activation.
            failed = [n for n in finished if record.step(n).state == StepState.ERROR and not self._skip_on_error[n]]
            if plan.fail_fast and failed:
                await self._stop_everything(StepState.CANCELLED, f"fail_fast: step {failed[0]!r} failed")

    def _next_batch(self, readiness: Readiness, plan: Plan) -> list[str]:
        """Ready steps to start now: up to the free slots, and within each tool's concurrency limit."""
        room = plan.max_parallel - len(self._running)
        if not plan.tool_concurrency:
            return readiness.take_ready(room) if readiness.has_ready() else []
        candidates, self._held = [*self._held, *readiness.take_ready(len(plan.nodes))], []
        busy: dict[str, int] = {}
        for running in self._running:
            tool = plan.node(running).tool
            busy[tool] = busy.get(tool, 0) + 1
        batch: list[str] = []
        for node_id in candidates:
            tool = plan.node(node_id).tool
            limit = plan.tool_concurrency.get(tool)
            if len(batch) < room and (limit is None or busy.get(tool, 0) < limit):
                batch.append(node_id)
                busy[tool] = busy.get(tool, 0) + 1
            else:
                self._held.append(node_id)
        return batch

    def _condition_allows(self, prepared: PreparedPlan, node_id: str) -> bool:
        condition = prepared.plan.node(node_id).condition
        if not condition:
            return True
        step = self._require_record().step(node_id)
        try:
            if conditions.evaluate(condition, self._scope):
                return True
            step.state, step.skip_reason = StepState.SKIPPED, f"condition is false: {condition}"
        except conditions.ConditionError as exc:
            step.state, step.error = StepState.ERROR, ExecutionError.of(ErrorKind.VALIDATION, str(exc))
        self._remember(step)
        return False

    async def _run_step(self, prepared: PreparedPlan, node_id: str) -> None:
        node, ex = prepared.plan.node(node_id), prepared.execution[node_id]
        step = self._require_record().step(node_id)
        step.state, step.scheduled_at = StepState.CALLING_TOOL, workflow.now()
        try:
            if node.alternatives and self._fallbacks:
                result = await self._fallbacks.execute(node, ex, step, self._scope)
            else:
                call = ToolCall(
                    tool=node.tool, args=resolve(node.args, self._scope), node_id=node_id, allow_secrets=True
                )
                result = await execute_tool(call, ex)
        except ReferenceError_ as exc:
            step.state, step.error = StepState.ERROR, ExecutionError.of(ErrorKind.VALIDATION, f"{node_id}: {exc}")
        except ACTIVITY_FAILURES as err:
            step.error, step.attempts = classify_failure(err, ex.retry.max_attempts)
            cancelled = step.error.type == ErrorKind.USER_CANCELLED
            step.state = StepState.CANCELLED if cancelled else StepState.ERROR
        except asyncio.CancelledError:
            step.state, step.error = StepState.CANCELLED, ExecutionError.of(ErrorKind.USER_CANCELLED, "cancelled")
        else:
            step.state, step.attempts, step.tokens = StepState.COMPLETED, result.attempt, result.tokens
            step.started_at, step.ended_at = result.started_at, result.ended_at
            step.set_output(result.output)
            step.output_ref = result.output_ref
            self._scope[node_id] = {"output": result.output}
        # Not in a `finally`: when the worker evicts this run from its cache the coroutine is closed
        # (GeneratorExit), which is no outcome, and workflow calls are not allowed then.
        if step.ended_at is None or step.state != StepState.COMPLETED:
            step.ended_at = workflow.now()
        step.duration_ms = (step.ended_at - (step.started_at or step.scheduled_at)).total_seconds() * 1000
        self._remember(step)
        self._changed = True
        workflow.logger.info(
            "step finished",
            extra={"node": node_id, "tool": step.tool, "attempt": step.attempts, "state": step.state.value},
        )

    def _remember(self, step: StepRecord) -> None:
        """What later references and conditions may read about a finished step."""
        entry = self._scope.setdefault(step.node_id, {"output": None})
        entry.update(state=step.state.value, attempts=step.attempts)
        entry["error"] = step.error.model_dump(mode="json") if step.error else None

    def _settle(self, readiness: Readiness, node_id: str) -> None:
        record = self._require_record()
        for child, state, reason in readiness.finished(node_id, lambda n: record.step(n).state):
            step = record.step(child)
            step.state, step.skip_reason = state, reason
            self._remember(step)

    async def _stop_everything(self, state: StepState, reason: str) -> None:
        """Cancel running steps (keeping what finished) and mark never-started steps."""
        for task in self._running.values():
            task.cancel()
        await asyncio.gather(*self._running.values(), return_exceptions=True)
        self._running.clear()
        for step in self._require_record().steps:
            if step.state not in FINISHED_STEP_STATES:
                step.state, step.skip_reason = state, reason

    def _blocking_failures(self) -> list[StepRecord]:
        """Failed steps that fail the run (those with skip_on_error do not)."""
        steps = self._require_record().steps
        return [s for s in steps if s.state == StepState.ERROR and s.error and not self._skip_on_error.get(s.node_id)]

    def _conclude(self) -> ExecutionRecord:
        record = self._require_record()
        blocking = self._blocking_failures()
        if not blocking:
            self._finish(AgentState.COMPLETED, None)
            return record
        first = blocking[0]
        assert first.error is not None
        message = f"{len(blocking)} step(s) failed; first: {first.node_id} ({first.tool}): {first.error.message}"
        self._finish(AgentState.ERROR, first.error.model_copy(update={"message": message}))
        raise ApplicationError(message, record.model_dump(mode="json"), type="PlanFailed", non_retryable=True)

    def _finish(self, state: AgentState, error: ExecutionError | None) -> None:
        record = self._require_record()
        record.ended_at = workflow.now()
        record.execution_time_ms = (record.ended_at - record.started_at).total_seconds() * 1000
        record.error, record.success = error, state == AgentState.COMPLETED
        record.paused = False
        self._set_state(state)
        # Replay-safe: the SDK records workflow metrics and logs only when not replaying.
        runs = workflow.metric_meter().create_counter("orchestra_runs", "runs by final state", "{run}")
        runs.add(1, {"state": state.value})
        workflow.logger.info(
            "run finished",
            extra={"state": state.value, "tool_calls": record.metrics.tool_call_count, "tokens": record.metrics.tokens},
        )

    def _set_state(self, state: AgentState) -> None:
        record = self._require_record()
        record.state = state
        record.paused = state == AgentState.PAUSED
        record.refresh_metrics()
        self._show()
        self._search_index.update(record, state_changed=True)

    def _show(self) -> None:
        if self._record:
            workflow.set_current_details(render_details(self._record))

    def _require_record(self) -> ExecutionRecord:
        assert self._record is not None, "record is created first thing in run()"
        return self._record
