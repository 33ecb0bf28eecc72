"""AgentWorkflow: a durable LLM agent loop. Each step asks the model (THINKING, an activity), runs the
tool calls it returns (CALLING_TOOL, tool activities), and feeds the results back (REFLECTING), until
the model calls ``task_done`` or the step limit is reached. Long runs continue as new with the conversation
and a bounded record (latest steps, sums of the older ones, the runs' index); every payload it writes stays
below PAYLOAD_BUDGET_BYTES whatever the step count, and `trajectory ID` reads the older steps back from
the runs' histories."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import NoReturn

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from orchestra.agent import completion, steps
    from orchestra.agent.context import fit, tools_tokens
    from orchestra.agent.models import (
        AgentExecution,
        AgentRequest,
        AgentStep,
        AgentToolCall,
        ApprovalDecision,
        ApprovalStatus,
        LLMStepRequest,
        LLMStepResult,
        ToolInfo,
    )
    from orchestra.agent.progress import render_details
    from orchestra.agent.trajectory import PAYLOAD_BUDGET_BYTES, bounded, carry_for, refresh
    from orchestra.errors import ErrorKind, ExecutionError
    from orchestra.llm.errors import NON_RETRYABLE_LLM
    from orchestra.llm.types import Message, ToolDefinition
    from orchestra.record import AgentState, StepState
    from workflows.activity_options import ACTIVITY_FAILURES, classify_failure
    from workflows.agent_calls import CallRunner, tool_messages

DEFAULT_OUTPUT_RESERVE = 1024
# The model call heartbeats every second; cancellation reaches it with the next heartbeat sent (the SDK
# throttles them to 80% of this timeout), and a dead worker is noticed after this long.
LLM_HEARTBEAT_TIMEOUT = timedelta(seconds=5)
# At the step limit the run fails itself rather than continuing as new into a run that fails at once;
# runs that did the latter (before this patch) still replay.
FAIL_AT_LIMIT_PATCH = "agent-fail-at-limit-without-continue-as-new"


@workflow.defn(name="AgentWorkflow")
class AgentWorkflow:
    def __init__(self) -> None:
        self._record: AgentExecution | None = None
        self._conversation: list[Message] = []
        self._paused = False
        self._max_steps = 0

    @workflow.run
    async def run(self, request: AgentRequest) -> AgentExecution:
        record = self._start(request)
        try:
            tools = await self._load_tools(request)
            definitions = steps.definitions(tools)
            record.tools = [t.name for t in tools.values()]
            self._set_state(AgentState.PAUSED if self._paused else AgentState.RUNNING)
            while True:
                if record.step_count >= request.limits.max_steps:
                    self._fail(f"step limit of {request.limits.max_steps} reached without task_done", "step_limit")
                await workflow.wait_condition(lambda: not self._paused)
                step = await self._think(request, definitions)
                if await self._act(request, tools, step):
                    return bounded(self._finish(AgentState.COMPLETED, None, step.completion.summary))
                if workflow.info().is_continue_as_new_suggested() and (
                    record.step_count < request.limits.max_steps or not workflow.patched(FAIL_AT_LIMIT_PATCH)
                ):
                    await workflow.wait_condition(workflow.all_handlers_finished)
                    self._continue_as_new(request, definitions)
        except asyncio.CancelledError:
            steps.mark_cancelled(record, workflow.now())
            self._finish(AgentState.CANCELLED, ExecutionError.of(ErrorKind.USER_CANCELLED, "run cancelled"))
            raise

    def _continue_as_new(self, request: AgentRequest, definitions: list[ToolDefinition]) -> NoReturn:
        """Go on in a new run, carrying the conversation and the record, bounded whatever the step count."""
        record = self._require()
        carry, size = carry_for(self._conversation, record, self._paused, self._budget(request, definitions))
        if size > PAYLOAD_BUDGET_BYTES:  # only when the system prompt and task alone are that large
            workflow.logger.warning("agent carry of %d bytes is over its %d-byte budget", size, PAYLOAD_BUDGET_BYTES)
        workflow.continue_as_new(request.model_copy(update={"carry": carry}))

    def _start(self, request: AgentRequest) -> AgentExecution:
        info = workflow.info()
        if request.carry is not None:
            record = steps.resumed_record(request.carry, info.run_id)
            self._conversation, self._paused = list(request.carry.conversation), request.carry.paused
        else:
            record = steps.new_record(request, info.workflow_id, info.run_id, workflow.now())
            self._conversation = steps.first_messages(request)
        self._record, self._max_steps = record, request.limits.max_steps
        self._show()
        return record

    @workflow.query
    def record(self) -> AgentExecution | None:
        return self._record

    @workflow.signal
    def pause(self, reason: str = "") -> None:
        """Cooperative pause: the call or model step in flight finishes, nothing new starts until resume."""
        self._paused = True
        if self._record:
            self._record.pause_reason = reason or None
            if self._record.state == AgentState.RUNNING:
                self._set_state(AgentState.PAUSED)

    @workflow.signal
    def resume(self) -> None:
        self._paused = False
        if self._record and self._record.state == AgentState.PAUSED:
            self._set_state(AgentState.RUNNING)

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

    async def _load_tools(self, request: AgentRequest) -> dict[str, ToolInfo]:
        try:
            infos: list[ToolInfo] = await workflow.execute_local_activity(
                "agent_tools", request.tools, result_type=list[ToolInfo], start_to_close_timeout=timedelta(seconds=30),
                retry_policy=RetryPolicy(maximum_attempts=3, non_retryable_error_types=[ErrorKind.VALIDATION]),
                summary="tool catalogue",
            )  # fmt: skip
        except ACTIVITY_FAILURES as err:
            error, _ = classify_failure(err, 3)
            self._fail(error.message, "invalid_request", error)
        return {t.function_name: t for t in infos}

    def _budget(self, request: AgentRequest, definitions: list[ToolDefinition]) -> int:
        reserve = request.limits.max_output_tokens or DEFAULT_OUTPUT_RESERVE
        return request.limits.context_tokens - reserve - tools_tokens(definitions)

    async def _think(self, request: AgentRequest, definitions: list[ToolDefinition]) -> AgentStep:
        record = self._require()
        step = steps.begin_step(record, workflow.now())
        messages, step.context_dropped = fit(self._conversation, self._budget(request, definitions))
        self._show()
        llm_request = LLMStepRequest(messages=messages, tools=definitions, temperature=request.temperature,
                                     max_tokens=request.limits.max_output_tokens)  # fmt: skip
        try:
            result: LLMStepResult = await workflow.execute_activity(
                "agent_llm_step", llm_request, result_type=LLMStepResult,
                start_to_close_timeout=timedelta(seconds=request.limits.llm_timeout_s),
                heartbeat_timeout=LLM_HEARTBEAT_TIMEOUT, activity_id=f"step-{step.number}.llm",
                retry_policy=RetryPolicy(maximum_attempts=request.limits.llm_max_attempts,
                                         non_retryable_error_types=list(NON_RETRYABLE_LLM)),
                cancellation_type=workflow.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
                summary=f"step {step.number}: thinking",
            )  # fmt: skip
        except ACTIVITY_FAILURES as err:
            step.error, step.llm_attempts = classify_failure(err, request.limits.llm_max_attempts)
            if step.error.type == ErrorKind.USER_CANCELLED:
                raise asyncio.CancelledError from None
            step.state = StepState.ERROR
            self._close(step)
            self._fail(f"step {step.number}: the model call failed: {step.error.message}", "llm_failed", step.error)
        message = steps.unique_ids(result.message, step.number)
        step.thinking, step.usage = message.content, step.usage.add(result.usage)
        step.llm_attempts, step.model, step.finish_reason = result.attempt, result.model, result.finish_reason
        step.llm_ms = (result.ended_at - result.started_at).total_seconds() * 1000
        step.completion = completion.check_completion(message)
        record.model = result.model or record.model
        self._conversation.append(message)
        step.tool_calls = [AgentToolCall(call_id=c.id, tool=c.function.name, arguments=c.function.arguments)
                           for c in message.tool_calls or []]  # fmt: skip
        return step

    async def _act(self, request: AgentRequest, tools: dict[str, ToolInfo], step: AgentStep) -> bool:
        """Run the step's calls and feed their results back; True when the task is verifiably done."""
        if not step.tool_calls:
            step.feedback = completion.UNVERIFIED if step.completion.indicated else completion.NUDGE
            self._conversation.append(Message(role="user", content=step.feedback))
            self._close(step)
            return False
        step.state = StepState.CALLING_TOOL
        planned = steps.prepare_calls(step, tools)
        runner = CallRunner(request, {t.name: t for t in tools.values()}, step, lambda: not self._paused, self._show)
        await runner.run(planned)
        step.state = StepState.REFLECTING
        self._conversation.extend(tool_messages(step))
        step.reflection = completion.reflection(step)
        if step.reflection and not step.completion.verified:
            self._conversation.append(Message(role="user", content=step.reflection))
        self._close(step)
        return step.completion.verified

    def _close(self, step: AgentStep) -> None:
        if step.state != StepState.ERROR:
            step.state = StepState.COMPLETED
        step.ended_at = workflow.now()
        step.duration_ms = (step.ended_at - step.started_at).total_seconds() * 1000
        self._show()

    def _fail(self, message: str, code: str, error: ExecutionError | None = None) -> NoReturn:
        error = error or ExecutionError.of(ErrorKind.SYSTEM, message, code=code, retryable=False)
        record = self._finish(AgentState.ERROR, error.model_copy(update={"message": message}))
        details = bounded(record).model_dump(mode="json")
        raise ApplicationError(message, details, type=f"agent_{code}", non_retryable=True)

    def _finish(self, state: AgentState, error: ExecutionError | None, result: str | None = None) -> AgentExecution:
        record = self._require()
        record.ended_at = workflow.now()
        record.execution_time_ms = (record.ended_at - record.started_at).total_seconds() * 1000
        record.error, record.success, record.final_result = error, state == AgentState.COMPLETED, result
        self._set_state(state)
        return record

    def _set_state(self, state: AgentState) -> None:
        record = self._require()
        record.state, record.paused = state, state == AgentState.PAUSED
        self._show()

    def _show(self) -> None:
        if self._record:
            refresh(self._record)
            workflow.set_current_details(render_details(self._record, self._max_steps))

    def _require(self) -> AgentExecution:
        assert self._record is not None, "the record is created first thing in run()"
        return self._record
