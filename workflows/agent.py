"""AgentWorkflow: a durable LLM agent loop. Each step asks the model (THINKING, an activity), runs the
tool calls it returns (CALLING_TOOL, tool activities), and feeds the results back (REFLECTING), until
the model calls ``task_done`` or the step limit is reached. Long runs continue as new with the conversation
and a bounded record (latest steps, sums of the older ones, the runs' index); every payload it writes stays
below PAYLOAD_BUDGET_BYTES whatever the step count, and `trajectory ID` reads the older steps back from
the runs' histories. Pause, resume and cancel come from ControlledWorkflow (workflows/control.py)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import NoReturn

from pydantic import ValidationError
from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.llm_step import AgentActivities
    from orchestra.agent import completion, steps
    from orchestra.agent.models import (
        AgentExecution,
        AgentLimits,
        AgentRequest,
        AgentStep,
        ApprovalDecision,
        ApprovalStatus,
        LLMStepRequest,
        ToolInfo,
    )
    from orchestra.agent.progress import render_details
    from orchestra.agent.trajectory import PAYLOAD_BUDGET_BYTES, bounded, carry_for, refresh
    from orchestra.control import ControlState
    from orchestra.errors import ErrorKind, ExecutionError
    from orchestra.llm.types import Message, ToolDefinition
    from orchestra.record import AgentState, StepState
    from orchestra.temporal_bounds import WORKFLOW_TASK_TIMEOUT, problems_of
    from workflows.activity_options import ACTIVITY_FAILURES, classify_failure
    from workflows.agent_calls import CallRunner, tool_messages
    from workflows.agent_model import budget, think
    from workflows.control import ControlledWorkflow, RunControl
    from workflows.history_stop import HistoryOverfull, stop_said, stopped_when_past
    from workflows.patches_at_start import AGENT_LATER, ask_at_start, patched
    from workflows.search_index import IndexValues

# At the step limit the run fails itself rather than continuing as new into a run that fails at once;
# runs that did the latter (before this patch) still replay.
FAIL_AT_LIMIT_PATCH = "agent-fail-at-limit-without-continue-as-new"
# A new run's temperature is checked at its start: a client that skips our validation (raw JSON: the Temporal
# CLI, another SDK) had a NaN one let through as a value read back (written_now), refused only where the
# model's request is built, and the run's workflow task failed there for ever. Runs before the check replay
# without it.
REQUEST_CHECKED_PATCH = "agent-temperature-checked-at-start"
# A new run's limits are checked as written now too: read back, counts over a ceiling pass (a run written
# before it may hold one), and a raw-JSON request's max_parallel 10**12 ran as given. Older runs replay.
LIMITS_CHECKED_PATCH = "agent-limits-checked-at-start"
# A run whose history reaches plan_chain.HISTORY_STOP_BYTES while it waits (a model or tool call, an approval, a
# pause) ends ERROR, recorded with its transcript so far: a flood of large signals had the server terminate it at its
# history limit, record lost. Asked at the start (AGENT_LATER): runs before it waited whatever their size.
HISTORY_STOP_PATCH = "agent-ended-recorded-before-the-servers-history-limit"
# The history stop's cancel was lost when a model or tool result came in the same activation: the call returned its
# result and the loop went on to its next model call. The loop's checkpoints now see the stop and raise (asked at the
# start, AGENT_LATER); runs before replay as they ran.
HISTORY_STOP_HALTS_PATCH = "agent-history-stop-seen-at-the-loops-checkpoints"
INDEX_LABEL = "agent"  # OrchestraPlan of agent runs


@workflow.defn(name="AgentWorkflow")
class AgentWorkflow(ControlledWorkflow):
    @workflow.init
    def __init__(self, request: AgentRequest) -> None:
        ask_at_start(AGENT_LATER)  # before anything: see workflows/patches_at_start.py
        info = workflow.info()
        carry = request.carry
        if carry is not None:
            self._record = steps.resumed_record(carry, info.run_id)
            self._conversation = list(carry.conversation)
        else:
            self._record = steps.new_record(request, info.workflow_id, info.run_id, workflow.now())
            self._conversation = steps.first_messages(request)
        self._max_steps = request.limits.max_steps
        self._runner: CallRunner | None = None
        control = carry.control if carry is not None else ControlState()
        self._control = RunControl(self._record, control, self, unit="call")

    @workflow.run
    async def run(self, request: AgentRequest) -> AgentExecution:
        record, control = self._record, self._control
        control.show()
        try:
            self._refuse_unwritable(request)
            tools = await self._load_tools(request)
            record.tools = [t.name for t in tools.values()]
            control.begin()
            body = self._loop(request, tools)
            if patched(HISTORY_STOP_PATCH):
                body = stopped_when_past(body, _stop_said, control.halt if patched(HISTORY_STOP_HALTS_PATCH) else None)
            return await control.supervise(body)
        except HistoryOverfull as overfull:
            steps.mark_cancelled(record, workflow.now())
            self._fail(str(overfull), "history_too_large")
        except asyncio.CancelledError:
            steps.mark_cancelled(record, workflow.now())
            control.finish(AgentState.CANCELLED, ExecutionError.of(ErrorKind.USER_CANCELLED, "run cancelled"))
            raise

    @workflow.query
    def record(self) -> AgentExecution | None:
        return self._record

    @workflow.update
    def approve(self, decision: ApprovalDecision) -> list[str]:
        return self._decide(decision, ApprovalStatus.APPROVED)

    @workflow.update
    def reject(self, decision: ApprovalDecision) -> list[str]:
        return self._decide(decision, ApprovalStatus.REJECTED)

    @approve.validator
    def _validate_approve(self, decision: ApprovalDecision) -> None:
        steps.waiting_for(self._record, decision)

    @reject.validator
    def _validate_reject(self, decision: ApprovalDecision) -> None:
        steps.waiting_for(self._record, decision)

    def _decide(self, decision: ApprovalDecision, status: ApprovalStatus) -> list[str]:
        return steps.decide(steps.waiting_for(self._record, decision), decision, status, workflow.now())

    # What the shared control shows (workflows/control.py's RunView).
    def current_details(self) -> str:
        refresh(self._record)
        return render_details(self._record, self._max_steps)

    def search_values(self) -> IndexValues:
        r = self._record
        return IndexValues(state=r.state.value, plan=INDEX_LABEL, tool_calls=r.metrics.tool_call_count,
                           tokens=r.totals.total_tokens)  # fmt: skip

    def in_flight(self) -> int:
        last = self._record.steps[-1] if self._record.steps else None
        if last is None or last.state in (StepState.COMPLETED, StepState.ERROR, StepState.CANCELLED):
            return 0
        if last.state == StepState.THINKING:
            return 1  # the model call
        return sum(1 for c in last.tool_calls if c.state == StepState.CALLING_TOOL)

    async def _loop(self, request: AgentRequest, tools: dict[str, ToolInfo]) -> AgentExecution:
        record, control = self._record, self._control
        definitions = steps.definitions(tools)
        while True:
            if record.step_count >= request.limits.max_steps:
                self._fail(f"step limit of {request.limits.max_steps} reached without task_done", "step_limit")
            await control.checkpoint()
            step = steps.begin_step(record, workflow.now())
            try:
                problems = await think(request, definitions, self._conversation, record, step, control.show)
            except ACTIVITY_FAILURES as err:
                self._model_failed(request, step, err)
            # A reply that came back after a cancel request is recorded, not acted on.
            await control.checkpoint()
            if await self._act(request, tools, step, problems):
                return bounded(self._complete(step.completion.summary))
            if workflow.info().is_continue_as_new_suggested() and (
                record.step_count < request.limits.max_steps or not patched(FAIL_AT_LIMIT_PATCH)
            ):
                await workflow.wait_condition(workflow.all_handlers_finished)
                self._continue_as_new(request, definitions)

    def _continue_as_new(self, request: AgentRequest, definitions: list[ToolDefinition]) -> NoReturn:
        """Go on in a new run, carrying the conversation, the record and the pause, bounded whatever the
        step count."""
        carry, size = carry_for(self._conversation, self._record, self._control.state, budget(request, definitions))
        if size > PAYLOAD_BUDGET_BYTES:  # only when the system prompt and task alone are that large
            workflow.logger.warning("agent carry of %d bytes is over its %d-byte budget", size, PAYLOAD_BUDGET_BYTES)
        workflow.continue_as_new(request.model_copy(update={"carry": carry}), task_timeout=WORKFLOW_TASK_TIMEOUT)

    async def _load_tools(self, request: AgentRequest) -> dict[str, ToolInfo]:
        try:
            infos: list[ToolInfo] = await workflow.execute_local_activity_method(
                AgentActivities.agent_tools, request.tools, start_to_close_timeout=timedelta(seconds=30),
                retry_policy=RetryPolicy(maximum_attempts=3, non_retryable_error_types=[ErrorKind.VALIDATION]),
                summary="tool catalogue",
            )  # fmt: skip
        except ACTIVITY_FAILURES as err:
            error, _ = classify_failure(err, 3)
            self._fail(error.message, "invalid_request", error)
        return {t.function_name: t for t in infos}

    def _model_failed(self, request: AgentRequest, step: AgentStep, err: BaseException) -> NoReturn:
        step.error, step.llm_attempts = classify_failure(err, request.limits.llm_max_attempts)
        if step.error.type == ErrorKind.USER_CANCELLED:
            raise asyncio.CancelledError
        step.state = StepState.ERROR
        self._close(step)
        self._fail(f"step {step.number}: the model call failed: {step.error.message}", "llm_failed", step.error)

    async def _act(
        self, request: AgentRequest, tools: dict[str, ToolInfo], step: AgentStep, problems: dict[str, str] | None
    ) -> bool:
        """Run the step's calls and feed their results back; True when the task is verifiably done."""
        note = completion.reply_note(step)
        if not step.tool_calls:
            step.feedback = note or (completion.UNVERIFIED if step.completion.indicated else completion.NUDGE)
            self._conversation.append(Message(role="user", content=step.feedback))
            self._close(step)
            return False
        step.state = StepState.CALLING_TOOL
        planned = steps.prepare_calls(step, tools, problems)
        runner = CallRunner(request, {t.name: t for t in tools.values()}, step, self._control)
        await runner.run(planned)
        step.state = StepState.REFLECTING
        completion.confirm(step)
        self._conversation.extend(tool_messages(step))
        step.reflection = completion.reflection(step)
        if step.reflection and not step.completion.verified:
            self._conversation.append(Message(role="user", content=step.reflection))
        if note and not step.completion.verified:
            step.feedback = note
            self._conversation.append(Message(role="user", content=note))
        self._close(step)
        return step.completion.verified

    def _close(self, step: AgentStep) -> None:
        if step.state != StepState.ERROR:
            step.state = StepState.COMPLETED
        step.ended_at = workflow.now()
        step.duration_ms = (step.ended_at - step.started_at).total_seconds() * 1000
        self._control.show()

    def _complete(self, summary: str | None) -> AgentExecution:
        self._record.final_result = summary
        self._control.finish(AgentState.COMPLETED, None)
        return self._record

    def _refuse_unwritable(self, request: AgentRequest) -> None:
        """Fails a new run whose temperature no model request could carry, or whose limits a client could
        not write now; a run continued as new carries them already checked."""
        if workflow.info().continued_run_id is not None:
            return
        try:
            if patched(REQUEST_CHECKED_PATCH):
                LLMStepRequest(messages=[], tools=[], temperature=request.temperature)
            if patched(LIMITS_CHECKED_PATCH):
                AgentLimits.model_validate(request.limits.model_dump())
        except ValidationError as exc:
            self._fail(f"the request is not one a run can start with: {problems_of(exc)}", "bad_request")

    def _fail(self, message: str, code: str, error: ExecutionError | None = None) -> NoReturn:
        error = error or ExecutionError.of(ErrorKind.SYSTEM, message, code=code, retryable=False)
        self._control.finish(AgentState.ERROR, error.model_copy(update={"message": message}))
        details = bounded(self._record).model_dump(mode="json")
        raise ApplicationError(message, details, type=f"agent_{code}", non_retryable=True)


def _stop_said(size: int) -> str:
    return stop_said(size, "what it was waiting for cancelled (its model call, its tool calls, an approval)")
