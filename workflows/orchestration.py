"""OrchestrationWorkflow: runs a plan's DAG by readiness, one activity per tool call."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from orchestra import conditions
    from orchestra import search_attributes as sa
    from orchestra.calls import RunRequest, ToolCall, ToolResult
    from orchestra.errors import ErrorKind, ExecutionError
    from orchestra.plan import Plan, PlanNode
    from orchestra.record import (
        FINISHED_STEP_STATES,
        AgentState,
        CompensationRecord,
        ExecutionRecord,
        StepRecord,
        StepState,
    )
    from orchestra.references import INPUTS, ReferenceError_, resolve
    from orchestra.scheduling import Readiness
    from orchestra.validation import NodeExecution, PreparedPlan
    from workflows.activity_options import ACTIVITY_FAILURES, classify_failure, retry_policy
    from workflows.progress import render_details

PREPARE_TIMEOUT = timedelta(seconds=60)
CIRCUITS_TIMEOUT = timedelta(seconds=10)
COMPENSATION_TIMEOUT = timedelta(seconds=120)
# Counters (tool calls, tokens) are re-indexed at most this often while a run goes on; a state change
# re-indexes at once. Each upsert is a command and an event: a fast chain must not pay one per step.
INDEX_COUNTERS_EVERY = timedelta(seconds=2)


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
        self._open_circuits: set[str] = set()
        self._tool_failures: dict[str, int] = {}
        self._indexed: dict[str, Any] = {}  # search attribute values last upserted
        self._counters_indexed_at: datetime | None = None

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
        self._open_circuits = await self._open_circuits_at_start(prepared.plan)
        self._set_state(AgentState.PAUSED if self._paused else AgentState.RUNNING)
        try:
            await self._drive(prepared)
            await self._compensate_if_failed(prepared.plan)
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
            self._index()
            self._changed = False
            timeout = (deadline - workflow.now()).total_seconds() if deadline else None
            await workflow.wait_condition(
                lambda: self._changed, timeout=timeout, timeout_summary="plan deadline" if deadline else None
            )
            for node_id in [n for n, task in self._running.items() if task.done()]:
                del self._running[node_id]
                self._settle(readiness, node_id)
                failed = record.step(node_id)
                if plan.fail_fast and failed.state == StepState.ERROR and not self._skip_on_error[node_id]:
                    await self._stop_everything(StepState.CANCELLED, f"fail_fast: step {node_id!r} failed")

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
            if node.alternatives:
                result = await self._execute_with_fallbacks(prepared.plan, node, ex, step)
            else:
                call = ToolCall(tool=node.tool, args=resolve(node.args, self._scope), node_id=node_id)
                result = await self._execute(call, ex)
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

    async def _execute_with_fallbacks(
        self, plan: Plan, node: PlanNode, ex: NodeExecution, step: StepRecord
    ) -> ToolResult:
        """The node's tool, then each alternative in turn: skipping tools whose circuit is open, and
        moving on when a tool fails. The last choice is always tried."""
        choices = [(node.tool, node.args), *((a.tool, a.args) for a in node.alternatives)]
        for index, (tool, args) in enumerate(choices):
            last = index == len(choices) - 1
            why_not = self._circuit_open(plan, tool)
            if why_not and not last:
                step.fallback_from.append(f"{tool}: {why_not}")
                continue
            step.tool = tool
            call = ToolCall(tool=tool, args=resolve(args, self._scope), node_id=node.id)
            # A fallback runs as a regular activity: its tool's own local/remote nature is not in the plan.
            tool_ex = (
                ex if index == 0 else ex.model_copy(update={"local": False, "summary": f"{node.id}: {tool} (fallback)"})
            )
            try:
                return await self._execute(call, tool_ex, activity_id=node.id if index == 0 else f"{node.id}.{tool}")
            except ACTIVITY_FAILURES as err:
                error, _ = classify_failure(err, tool_ex.retry.max_attempts)
                if last or error.type == ErrorKind.USER_CANCELLED:
                    raise
                self._tool_failures[tool] = self._tool_failures.get(tool, 0) + 1
                step.fallback_from.append(f"{tool}: {error.type.value}: {error.message[:200]}")
        raise AssertionError("unreachable: the last choice returns or raises")

    def _circuit_open(self, plan: Plan, tool: str) -> str | None:
        if tool in self._open_circuits:
            return "circuit open (shared tool history)"
        limit = plan.circuit_breaker.failures_to_open if plan.circuit_breaker else None
        failures = self._tool_failures.get(tool, 0)
        if limit is not None and failures >= limit:
            return f"circuit open in this run ({failures} failures)"
        return None

    async def _open_circuits_at_start(self, plan: Plan) -> set[str]:
        breaker = plan.circuit_breaker
        if breaker is None or not breaker.skip_open_circuits or not any(n.alternatives for n in plan.nodes):
            return set()
        tools = sorted(
            {n.tool for n in plan.nodes if n.alternatives} | {a.tool for n in plan.nodes for a in n.alternatives}
        )
        try:
            opened: list[str] = await workflow.execute_local_activity(
                "open_circuits",
                tools,
                result_type=list[str],
                start_to_close_timeout=CIRCUITS_TIMEOUT,
                retry_policy=RetryPolicy(maximum_attempts=2),
                summary="read circuit breakers",
            )
        except ACTIVITY_FAILURES:
            return set()  # the shared history is advice: a run goes on without it
        return set(opened)

    async def _compensate_if_failed(self, plan: Plan) -> None:
        """Saga: when the plan failed, undo completed side-effecting steps, newest first."""
        record = self._require_record()
        failed = any(s.state == StepState.ERROR and not self._skip_on_error.get(s.node_id) for s in record.steps)
        if not plan.compensate_on_failure or not failed:
            return
        done = [s for s in record.steps if s.state == StepState.COMPLETED and plan.node(s.node_id).compensation]
        done.sort(key=lambda s: s.ended_at or record.started_at, reverse=True)
        for step in done:
            compensation = plan.node(step.node_id).compensation
            assert compensation is not None
            step.compensation = entry = CompensationRecord(tool=compensation.tool, state=StepState.CALLING_TOOL)
            self._show()
            try:
                call = ToolCall(
                    tool=compensation.tool, args=resolve(compensation.args, self._scope), node_id=step.node_id
                )
                result: ToolResult = await workflow.execute_activity(
                    "run_tool",
                    call,
                    result_type=ToolResult,
                    start_to_close_timeout=COMPENSATION_TIMEOUT,
                    retry_policy=RetryPolicy(maximum_attempts=5, non_retryable_error_types=[ErrorKind.VALIDATION]),
                    activity_id=f"{step.node_id}.compensate",
                    summary=f"{step.node_id}: undo with {compensation.tool}",
                )
                entry.state, entry.output = StepState.COMPLETED, result.output
            except ReferenceError_ as exc:
                entry.state, entry.error = StepState.ERROR, ExecutionError.of(ErrorKind.VALIDATION, str(exc))
            except ACTIVITY_FAILURES as err:
                entry.state, entry.error = StepState.ERROR, classify_failure(err, 5)[0]
        self._show()

    async def _execute(self, call: ToolCall, ex: NodeExecution, activity_id: str | None = None) -> ToolResult:
        common: dict[str, Any] = {
            "result_type": ToolResult,
            "start_to_close_timeout": timedelta(seconds=ex.timeout_s),
            "retry_policy": retry_policy(ex.retry),
            "activity_id": activity_id or call.node_id,
            "summary": ex.summary,
        }
        result: ToolResult
        if ex.local:
            result = await workflow.execute_local_activity("run_tool", call, **common)
            return result
        result = await workflow.execute_activity(
            "run_tool",
            call,
            heartbeat_timeout=timedelta(seconds=ex.heartbeat_timeout_s),
            cancellation_type=workflow.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
            **common,
        )
        return result

    def _remember(self, step: StepRecord) -> None:
        """What later references and conditions may read about a finished step."""
        entry = self._scope.setdefault(step.node_id, {"output": None})
        entry.update(state=step.state.value, attempts=step.attempts)
        entry["error"] = step.error.model_dump(mode="json") if step.error else None

    def _settle(self, readiness: Readiness, node_id: str) -> None:
        record = self._require_record()
        states = {s.node_id: s.state for s in record.steps}
        for child, state, reason in readiness.finished(node_id, states):
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

    def _conclude(self) -> ExecutionRecord:
        record = self._require_record()
        failed = [s for s in record.steps if s.state == StepState.ERROR and s.error]
        blocking = [s for s in failed if not self._skip_on_error.get(s.node_id)]
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
        self._index(state_changed=True)

    def _index(self, *, state_changed: bool = False) -> None:
        """Keep the run's search attributes current, upserting only what changed."""
        record = self._require_record()
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

    def _show(self) -> None:
        if self._record:
            workflow.set_current_details(render_details(self._record))

    def _require_record(self) -> ExecutionRecord:
        assert self._record is not None, "record is created first thing in run()"
        return self._record
