"""The model step of AgentWorkflow: the conversation fitted to the context window, one model call as an
activity, and the reply recorded on the step (workflow code)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.llm_step import AgentActivities
    from orchestra.agent import completion, steps
    from orchestra.agent.context import fit, tools_tokens
    from orchestra.agent.models import (
        MAX_CALL_ID_CHARS,
        AgentExecution,
        AgentRequest,
        AgentStep,
        AgentToolCall,
        LLMStepRequest,
    )
    from orchestra.llm.types import Message, ToolDefinition
    from workflows.patches_at_start import patched

DEFAULT_OUTPUT_RESERVE = 1024
# The workflow code that reads a reply is bounded by the reply's size, not only its number of calls: a call
# id is at most MAX_CALL_ID_CHARS, and the smart strategy looks through MENTION_CHARS of each call's
# arguments. Runs recorded before read them whole, and replay so.
REPLY_BOUNDED_PATCH = "agent-reply-work-bounded"
# Runs recorded before it keep a model's call ids that hold controls or invisible characters.
CALL_IDS_PRINTABLE_PATCH = "agent-call-ids-printable"
# The model call heartbeats every second; cancellation reaches it with the next heartbeat sent (the SDK
# throttles them to 80% of this timeout), and a dead worker is noticed after this long.
LLM_HEARTBEAT_TIMEOUT = timedelta(seconds=5)


def budget(request: AgentRequest, definitions: list[ToolDefinition]) -> int:
    """Tokens the conversation may take: the context window less the reply's reserve and the tools."""
    reserve = request.limits.max_output_tokens or DEFAULT_OUTPUT_RESERVE
    return request.limits.context_tokens - reserve - tools_tokens(definitions)


async def think(
    request: AgentRequest,
    definitions: list[ToolDefinition],
    conversation: list[Message],
    record: AgentExecution,
    step: AgentStep,
    show: Callable[[], None],
) -> dict[str, str] | None:
    """Ask the model; its reply goes on ``step`` and into ``conversation``; returned, the activity's word on
    its calls' arguments (orchestra/agent/arguments.py; None from a reply recorded before it). A failed call
    raises what the activity raised (its retries, Temporal's, are over)."""
    messages, step.context_dropped = fit(conversation, budget(request, definitions))
    show()
    limits = request.limits
    llm_request = LLMStepRequest(messages=messages, tools=definitions, temperature=request.temperature,
                                 max_tokens=limits.max_output_tokens)  # fmt: skip
    result = await workflow.execute_activity_method(
        AgentActivities.llm_step, llm_request, start_to_close_timeout=timedelta(seconds=limits.llm_timeout_s),
        heartbeat_timeout=LLM_HEARTBEAT_TIMEOUT, activity_id=f"step-{step.number}.llm",
        # Each LLM error says itself whether a retry can help (401/400: no; 429/5xx/timeouts: yes).
        retry_policy=RetryPolicy(maximum_attempts=limits.llm_max_attempts),
        cancellation_type=workflow.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
        summary=f"step {step.number}: thinking",
    )  # fmt: skip
    bounded = patched(REPLY_BOUNDED_PATCH)
    printable = patched(CALL_IDS_PRINTABLE_PATCH)
    message = steps.unique_ids(result.message, step.number, MAX_CALL_ID_CHARS if bounded else None,
                               printable_only=printable)  # fmt: skip
    step.calls_dropped = len(result.message.tool_calls or []) - len(message.tool_calls or [])
    step.thinking, step.usage = message.content, step.usage.add(result.usage)
    step.llm_attempts, step.model, step.finish_reason = result.attempt, result.model, result.finish_reason
    step.llm_ms = (result.ended_at - result.started_at).total_seconds() * 1000
    step.completion = completion.check_completion(message, result.argument_problems)
    record.model = result.model or record.model
    if message.content or message.tool_calls:  # an empty assistant message is not valid to send back
        conversation.append(message)
    step.tool_calls = [AgentToolCall(call_id=c.id, tool=c.function.name, arguments=c.function.arguments)
                       for c in message.tool_calls or []]  # fmt: skip
    return result.argument_problems
