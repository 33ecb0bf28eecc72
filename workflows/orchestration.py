"""OrchestrationWorkflow: runs a plan's DAG by readiness, one activity per tool call."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.tools import ToolActivities
    from orchestra import conditions
    from orchestra.calls import RunRequest, ToolCall
    from orchestra.control import ControlState
    from orchestra.errors import ErrorKind, ExecutionError
    from orchestra.plan import Plan
    from orchestra.record import (
        FINISHED_STEP_STATES,
        AgentState,
        ExecutionRecord,
        StepRecord,
        StepState,
    )
    from orchestra.references import INPUT_ERRORS, INPUTS, resolve
    from orchestra.scheduling import Readiness
    from orchestra.validation import PreparedPlan
    from workflows.activity_options import ACTIVITY_FAILURES, classify_failure
    from workflows.control import ControlledWorkflow, RunControl
    from workflows.progress import render_details
    from workflows.recovery import Fallbacks, compensate, open_circuits_at_start
    from workflows.search_index import IndexValues
    from workflows.tool_calls import execute_tool

PREPARE_TIMEOUT = timedelta(seconds=60)
DEADLINE_SUMMARY = "plan deadline"


@workflow.defn(name="OrchestrationWorkflow")
class OrchestrationWorkflow(ControlledWorkflow):
    """Pause, resume and cancel come from ControlledWorkflow (workflows/control.py)."""

    @workflow.init
    def __init__(self, request: RunRequest) -> None:
        info = workflow.info()
        self._record = ExecutionRecord(
            id=info.workflow_id,
            run_id=info.run_id,
            plan_name=request.plan.name,
            task=request.task,
            started_at=workflow.now(),
        )
        self._control = RunControl(self._record, ControlState(), self, unit="step")
        self._changed = self._wake_on_resume = False
        self._scope: dict[str, Any] = {}
        self._running: dict[str, asyncio.Task[None]] = {}
        self._skip_on_error: dict[str, bool] = {}
        self._held: list[str] = []  # ready steps waiting for a per-tool concurrency slot
        self._fallbacks: Fallbacks | None = None
        self._secrets = request.secrets_allowed

    @workflow.run
    async def run(self, request: RunRequest) -> ExecutionRecord:
        record, control = self._record, self._control
        control.show()
        try:
            prepared = await self._prepare(request)
            plan = prepared.plan
            record.steps = [
                StepRecord(node_id=n.id, tool=n.tool, phase=phase, depends_on=prepared.deps[n.id])
                for phase, ids in enumerate(prepared.phases)
                for n in (plan.node(i) for i in ids)
            ]
            self._scope = {INPUTS: plan.inputs}
            self._skip_on_error = {n.id: n.skip_on_error for n in plan.nodes}
            circuits = await open_circuits_at_start(plan)
            self._fallbacks = Fallbacks(plan, circuits, lambda: control.stopping, secrets=self._secrets)
            control.begin()
            # One timer for the whole run, started here: the drive itself waits without a timeout.
            await control.supervise(self._drive(prepared), plan.timeout_s, DEADLINE_SUMMARY if plan.timeout_s else None)
            if plan.compensate_on_failure and self._blocking_failures():
                await compensate(plan, record, self._scope, control.show, secrets=self._secrets)
        except asyncio.CancelledError:
            self._mark_unfinished(StepState.CANCELLED, "run cancelled")
            self._finish(AgentState.CANCELLED, ExecutionError.of(ErrorKind.USER_CANCELLED, "run cancelled"))
            raise
        except TimeoutError:
            self._mark_unfinished(StepState.CANCELLED, "run deadline reached")
            message = f"plan deadline of {request.plan.timeout_s}s reached"
            self._finish(AgentState.ERROR, ExecutionError.of(ErrorKind.TIMEOUT, message))
            raise ApplicationError(message, type=ErrorKind.TIMEOUT, non_retryable=True) from None
        return self._conclude()

    @workflow.query
    def record(self) -> ExecutionRecord | None:
        return self._record

    # What the shared control shows (workflows/control.py's RunView).
    def current_details(self) -> str:
        self._record.refresh_metrics()
        return render_details(self._record)

    def search_values(self) -> IndexValues:
        m, r = self._record.metrics, self._record
        return IndexValues(state=r.state.value, plan=r.plan_name, tool_calls=m.tool_call_count, tokens=m.tokens)

    def in_flight(self) -> int:
        return len(self._running)

    async def _prepare(self, request: RunRequest) -> PreparedPlan:
        try:
            prepared: PreparedPlan = await workflow.execute_local_activity_method(
                ToolActivities.prepare_plan,
                request.plan,
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
        """Start steps as they become ready until every step is finished; cancelled (by the control, on
        cancellation or at the deadline), stop the running steps, keeping what they finished."""
        plan, record, control = prepared.plan, self._record, self._control
        readiness = Readiness(prepared.deps, self._skip_on_error)
        try:
            while not all(s.state in FINISHED_STEP_STATES for s in record.steps):
                budget = conditions.Budget()  # shared by the conditions of this wake-up (one workflow task)
                while control.may_start() and len(self._running) < plan.max_parallel:
                    batch = self._next_batch(readiness, plan)
                    if not batch:
                        break
                    for node_id in batch:
                        if self._condition_allows(prepared, node_id, budget):
                            self._start_step(prepared, node_id)
                        else:
                            self._settle(readiness, node_id)
                control.show()  # after marking the new steps running: the UI and the record agree
                if all(s.state in FINISHED_STEP_STATES for s in record.steps):
                    break  # the last steps were settled here, by their conditions: no step will wake the drive
                self._changed, self._wake_on_resume = False, control.paused
                await workflow.wait_condition(self._woken)
                finished = [n for n, task in self._running.items() if task.done()]
                for node_id in finished:
                    del self._running[node_id]
                    self._settle(readiness, node_id)
                # Decided after all finished steps are settled: stopping empties _running, and several
                # steps can finish in one activation.
                failed = [n for n in finished if record.step(n).state == StepState.ERROR and not self._skip_on_error[n]]
                if plan.fail_fast and failed:
                    await self._stop_steps()
                    self._mark_unfinished(StepState.CANCELLED, f"fail_fast: step {failed[0]!r} failed")
        except asyncio.CancelledError:
            await self._stop_steps()
            raise

    def _woken(self) -> bool:
        """A step finished, or a resume came while the drive waited paused."""
        return self._changed or (self._wake_on_resume and not self._control.paused)

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

    def _condition_allows(self, prepared: PreparedPlan, node_id: str, budget: conditions.Budget) -> bool:
        condition = prepared.plan.node(node_id).condition
        if not condition:
            return True
        step = self._record.step(node_id)
        try:
            if conditions.evaluate(condition, self._scope, budget):
                return True
            step.state, step.skip_reason = StepState.SKIPPED, f"condition is false: {condition}"
        except conditions.ConditionError as exc:
            step.state, step.error = StepState.ERROR, ExecutionError.of(ErrorKind.VALIDATION, str(exc))
        self._remember(step)
        return False

    def _start_step(self, prepared: PreparedPlan, node_id: str) -> None:
        """Marked running (its first attempt counted) before anything is shown, then run in a task."""
        step = self._record.step(node_id)
        step.state, step.scheduled_at, step.attempts = StepState.CALLING_TOOL, workflow.now(), 1
        self._running[node_id] = asyncio.create_task(self._run_step(prepared, node_id))

    async def _run_step(self, prepared: PreparedPlan, node_id: str) -> None:
        node, ex = prepared.plan.node(node_id), prepared.execution[node_id]
        step = self._record.step(node_id)
        try:
            if node.alternatives and self._fallbacks:
                result = await self._fallbacks.execute(node, ex, step, self._scope)
            else:
                call = ToolCall(
                    tool=node.tool, args=resolve(node.args, self._scope), node_id=node_id, allow_secrets=self._secrets
                )
                result = await execute_tool(call, ex)
        except INPUT_ERRORS as exc:  # arguments that cannot be resolved or sent: the step fails, not the task
            step.state, step.error = StepState.ERROR, ExecutionError.of(ErrorKind.VALIDATION, f"{node_id}: {exc}")
            step.attempts = 0  # the tool was never called
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
        began = step.started_at or step.scheduled_at or step.ended_at
        step.duration_ms = (step.ended_at - began).total_seconds() * 1000
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
        record = self._record
        for child, state, reason in readiness.finished(node_id, lambda n: record.step(n).state):
            step = record.step(child)
            step.state, step.skip_reason = state, reason
            self._remember(step)

    async def _stop_steps(self) -> None:
        """Cancel the running steps and wait for them: each ends CANCELLED, or keeps its result if its
        activity finished anyway (the control has already let results delivered with the stop land)."""
        for task in self._running.values():
            task.cancel()
        await asyncio.gather(*self._running.values(), return_exceptions=True)
        self._running.clear()

    def _mark_unfinished(self, state: StepState, reason: str) -> None:
        for step in self._record.steps:
            if step.state not in FINISHED_STEP_STATES:
                step.state, step.skip_reason = state, reason

    def _blocking_failures(self) -> list[StepRecord]:
        """Failed steps that fail the run (those with skip_on_error do not)."""
        steps = self._record.steps
        return [s for s in steps if s.state == StepState.ERROR and s.error and not self._skip_on_error.get(s.node_id)]

    def _conclude(self) -> ExecutionRecord:
        record = self._record
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
        self._control.finish(state, error)
        record = self._record
        # Replay-safe: the SDK records workflow metrics and logs only when not replaying.
        runs = workflow.metric_meter().create_counter("orchestra_runs", "runs by final state", "{run}")
        runs.add(1, {"state": state.value})
        workflow.logger.info(
            "run finished",
            extra={"state": state.value, "tool_calls": record.metrics.tool_call_count, "tokens": record.metrics.tokens},
        )
