"""Running one reply's tool calls inside AgentWorkflow: the schedule (orchestra/agent/coordination.py)
walked with Temporal activities, approvals waited for, results turned into ``tool`` messages."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from orchestra.agent.attempts import call_attempts
    from orchestra.agent.context import truncate_output
    from orchestra.agent.coordination import MENTION_CHARS, PlannedCall, schedule
    from orchestra.agent.models import AgentRequest, AgentStep, AgentToolCall, Approval, ApprovalStatus, ToolInfo
    from orchestra.calls import ToolCall, ToolResult
    from orchestra.errors import ErrorKind, ExecutionError
    from orchestra.llm.types import Message
    from orchestra.record import StepState
    from orchestra.shown_ids import named
    from orchestra.text import one_line
    from orchestra.tool_spec import RetryHints
    from orchestra.validation import NodeExecution
    from workflows.activity_options import ACTIVITY_FAILURES, classify_failure
    from workflows.agent_model import REPLY_BOUNDED_PATCH
    from workflows.control import RunControl
    from workflows.patches_at_start import patched
    from workflows.tool_calls import execute_tool

# Runs recorded before a call's own arguments capped its attempts keep the tool's on replay.
ATTEMPTS_PER_CALL = "agent-call-attempts-per-call"
SUMMARY_CHARS = 200  # of a timer's summary in the Web UI: one line
HALTED = "not run: an earlier call in this step failed and continue_on_error is false"


class CallRunner:
    def __init__(self, request: AgentRequest, tools: dict[str, ToolInfo], step: AgentStep, control: RunControl) -> None:
        self.request, self.tools, self.step = request, tools, step
        self.control, self.show = control, control.show
        self.halted = False

    async def run(self, planned: list[PlannedCall]) -> None:
        limits = self.request.limits
        mention = MENTION_CHARS if patched(REPLY_BOUNDED_PATCH) else None
        plan = schedule(planned, self.request.strategy, limits.max_parallel, limits.batch_size, mention)
        by_id = {c.call_id: c for c in self.step.tool_calls}
        args = {p.call_id: p.args for p in planned}
        for stage in plan.stages:
            slots = asyncio.Semaphore(stage.limit)

            async def lane(ids: list[str], slots: asyncio.Semaphore = slots) -> None:
                async with slots:
                    for call_id in ids:
                        await self._one(by_id[call_id], args[call_id])

            await asyncio.gather(*(lane(ids) for ids in stage.lanes))
        for duplicate, original in plan.duplicates.items():
            source = by_id[original]
            by_id[duplicate].duplicate_of = original
            fields = ("state", "result", "result_bytes", "truncated", "error", "started_at", "ended_at", "duration_ms")
            for name in fields:
                setattr(by_id[duplicate], name, getattr(source, name))

    async def _one(self, call: AgentToolCall, args: dict[str, Any]) -> None:
        if self.halted:
            call.state, call.result = StepState.SKIPPED, HALTED
            return
        await self.control.checkpoint()
        info = self.tools[call.tool]
        if info.requires_approval and not await self._approved(call):
            return
        await self.control.checkpoint()  # the wait for a decision may have outlasted a pause or a cancel
        call.state, call.started_at, call.attempts = StepState.CALLING_TOOL, workflow.now(), 1
        self.show()
        attempts = info.max_attempts
        if info.attempts_rule and patched(ATTEMPTS_PER_CALL):
            attempts = call_attempts(info.attempts_rule, info.max_attempts, args)
        try:
            result = await self._execute(info, ToolCall(tool=info.name, args=args, node_id=call.call_id), attempts)
        except ACTIVITY_FAILURES as err:
            call.error, call.attempts = classify_failure(err, attempts)
            call.ended_at = workflow.now()
            if call.error.type == ErrorKind.USER_CANCELLED:
                call.state = StepState.CANCELLED
                raise asyncio.CancelledError from None
            call.state, call.result = StepState.ERROR, f"error ({call.error.type.value}): {call.error.message}"
            self.halted = not self.request.continue_on_error
        except asyncio.CancelledError:
            # No workflow call here (nor in a `finally`): a run evicted from the worker's cache is
            # cancelled too, and may issue no command then; the run's end records what it needs.
            call.state, call.error = StepState.CANCELLED, ExecutionError.of(ErrorKind.USER_CANCELLED, "cancelled")
            raise
        else:
            call.state, call.attempts = StepState.COMPLETED, result.attempt
            call.started_at, call.ended_at = result.started_at, result.ended_at
            text = result.output if isinstance(result.output, str) else json.dumps(result.output, default=str)
            call.result_bytes = len(text.encode())
            call.result, call.truncated = truncate_output(text, self.request.limits.max_tool_output_tokens)
        if call.started_at and call.ended_at:
            call.duration_ms = (call.ended_at - call.started_at).total_seconds() * 1000
        self.show()

    async def _approved(self, call: AgentToolCall) -> bool:
        limits = self.request.limits
        call.approval = approval = Approval(requested_at=workflow.now())
        self.show()
        try:
            await workflow.wait_condition(
                lambda: approval.status != ApprovalStatus.WAITING,
                timeout=limits.approval_timeout_s,
                # The model chose the id, a tool server the name: each named (cut) as messages name ids.
                timeout_summary=one_line(f"approval of {named(call.tool)} ({named(call.call_id)})", SUMMARY_CHARS),
            )
        except TimeoutError:
            approve = limits.approval_default == "approve"
            approval.status = ApprovalStatus.TIMED_OUT_APPROVED if approve else ApprovalStatus.TIMED_OUT_REJECTED
            approval.decided_at = workflow.now()
            approval.reason = f"no decision within {limits.approval_timeout_s:g}s: default {limits.approval_default}"
        if approval.approved:
            return True
        call.state = StepState.SKIPPED
        call.result = f"not run: the call was rejected ({approval.reason or approval.status.value})"
        self.show()
        return False

    async def _execute(self, info: ToolInfo, call: ToolCall, attempts: int) -> ToolResult:
        retry = RetryHints(
            max_attempts=attempts,
            initial_interval_s=info.initial_interval_s,
            backoff=info.backoff,
            max_interval_s=info.max_interval_s,
        )
        options = NodeExecution(
            timeout_s=info.timeout_s,
            heartbeat_timeout_s=info.heartbeat_timeout_s,
            retry=retry,
            local=info.local,
            summary=f"step {self.step.number}: {info.name}",
            sends=attempts,  # the tool's own tries within an attempt too: a keyless POST turned away was posted 3 times
        )
        return await execute_tool(call, options, activity_id=f"step-{self.step.number}.{call.node_id}")


def tool_messages(step: AgentStep) -> list[Message]:
    """One ``tool`` message per call of the reply, in the reply's order (the API requires every id answered)."""
    return [Message(role="tool", tool_call_id=c.call_id, content=c.result or c.state.value) for c in step.tool_calls]
