"""Pure helpers of AgentWorkflow: starting or resuming the record, checking the model's calls,
approval decisions, cancellation marks. Deterministic: the workflow passes in the time it uses."""

from __future__ import annotations

import json
from datetime import datetime

from orchestra.agent.completion import TASK_DONE, task_done_definition
from orchestra.agent.coordination import PlannedCall, has_side_effects
from orchestra.agent.models import (
    MAX_CALL_ID_CHARS,
    MAX_CALLS_PER_REPLY,
    AgentExecution,
    AgentRequest,
    AgentStep,
    AgentToolCall,
    ApprovalDecision,
    ApprovalStatus,
    Carry,
    RunSpan,
    ToolInfo,
)
from orchestra.errors import ErrorKind, ExecutionError
from orchestra.llm.types import Message, ToolDefinition
from orchestra.record import StepState
from orchestra.references import MAX_DEPTH, depth_over, whole_characters
from orchestra.shown_ids import named, quoted_id


def new_record(request: AgentRequest, workflow_id: str, run_id: str, now: datetime) -> AgentExecution:
    return AgentExecution(
        id=workflow_id,
        run_id=run_id,
        runs=[RunSpan(run_id=run_id, run_index=0, first_step=1, last_step=0)],
        task=request.task,
        system_prompt=request.system_prompt,
        strategy=request.strategy,
        continue_on_error=request.continue_on_error,
        started_at=now,
    )


def resumed_record(carry: Carry, run_id: str) -> AgentExecution:
    index, done = carry.record.run_index + 1, carry.record.step_count
    record = carry.record.model_copy(update={"run_id": run_id, "run_index": index})
    record.runs = [*record.runs, RunSpan(run_id=run_id, run_index=index, first_step=done + 1, last_step=done)]
    return record


def begin_step(record: AgentExecution, now: datetime) -> AgentStep:
    """The chain's next step, listed in the record and counted in the current run's span."""
    step = AgentStep(number=record.step_count + 1, started_at=now, run_index=record.run_index)
    record.steps.append(step)
    if record.runs and record.runs[-1].run_id == record.run_id:
        record.runs[-1].last_step = step.number
    return step


def first_messages(request: AgentRequest) -> list[Message]:
    return [Message(role="system", content=request.system_prompt), Message(role="user", content=request.task)]


def definitions(tools: dict[str, ToolInfo]) -> list[ToolDefinition]:
    offered = [ToolDefinition(name=t.function_name, description=t.description, parameters=t.parameters)
               for t in tools.values()]  # fmt: skip
    return [*offered, task_done_definition()]


def unique_ids(
    message: Message, step_number: int, max_id_chars: int | None = MAX_CALL_ID_CHARS, *, printable_only: bool = True
) -> Message:
    """Call ids as the API needs them: present and distinct within the reply, no longer than ``max_id_chars``
    and, with ``printable_only``, printable (a longer or unprintable one is replaced, in the reply kept too);
    and at most MAX_CALLS_PER_REPLY calls (the rest are left out of the reply, and the model is told: see
    completion.reply_note). Workflow code orders a reply's calls, so their number must be bounded.

    An id names its call's activity (``step-1.<id>``), which `temporal workflow describe` lists raw: ESC or BEL
    in it made a link or cleared the screen, a bidi override showed it reversed in the Web UI. Providers'
    ids are printable ASCII; ``str.isprintable`` refuses controls, line breaks and every invisible format
    character."""
    seen: set[str] = set()
    calls = []
    for index, call in enumerate((message.tool_calls or [])[:MAX_CALLS_PER_REPLY]):
        too_long = max_id_chars is not None and len(call.id) > max_id_chars
        hidden = printable_only and not call.id.isprintable()
        call_id = call.id if call.id and not too_long and not hidden else f"call_{step_number}_{index}"
        if call_id in seen:
            call_id = f"{call_id}_{index}"
        seen.add(call_id)
        calls.append(call.model_copy(update={"id": call_id}))
    return message.model_copy(update={"tool_calls": calls or None})


def prepare_calls(
    step: AgentStep, tools: dict[str, ToolInfo], problems: dict[str, str] | None = None
) -> list[PlannedCall]:
    """The calls to run; task_done and calls that cannot run (unknown tool, bad JSON) are settled here,
    and the model hears why in the call's result. ``problems``: the model step's word on the arguments
    (orchestra/agent/arguments.py); None, a reply recorded before it, read here."""
    planned: list[PlannedCall] = []
    for index, call in enumerate(step.tool_calls):
        if call.tool == TASK_DONE:
            call.state, call.result = StepState.COMPLETED, "task marked as done"
            continue
        problem, args = _check(call, tools) if problems is None else _vouched(call, tools, problems.get(str(index)))
        if problem:
            call.state, call.result = StepState.ERROR, f"error (validation): {problem}"
            call.error = ExecutionError.of(ErrorKind.VALIDATION, problem)
            continue
        info = tools[call.tool]
        call.tool = info.name
        planned.append(PlannedCall(call.call_id, call.tool, args, has_side_effects(info.side_effects, args)))
    return planned


def _named(call: AgentToolCall, tools: dict[str, ToolInfo]) -> str | None:
    if not call.tool:
        return f"the call has no function name; available: {', '.join(sorted(tools))}, {TASK_DONE}"
    if call.tool not in tools:  # the model's name for it, of any length
        return f"unknown tool {named(call.tool)!r}; available: {', '.join(sorted(tools))}, {TASK_DONE}"
    return None


def _vouched(
    call: AgentToolCall, tools: dict[str, ToolInfo], problem: str | None
) -> tuple[str | None, dict[str, object]]:
    """A call whose arguments the model step's activity read: a plain JSON object, or ``problem``."""
    problem = _named(call, tools) or problem
    return (problem, {}) if problem else (None, json.loads(call.arguments))


def _check(call: AgentToolCall, tools: dict[str, ToolInfo]) -> tuple[str | None, dict[str, object]]:
    if problem := _named(call, tools):
        return problem, {}
    try:
        args = whole_characters(json.loads(call.arguments or "{}"))  # "\ud800": U+FFFD, as the reply's text
    except (ValueError, RecursionError) as exc:  # workflow code: a hostile answer must not fail the task
        return f"the arguments are not valid JSON ({type(exc).__name__}: {exc})", {}
    if not isinstance(args, dict):
        return "the arguments must be a JSON object", {}
    if depth_over(args):
        return f"the arguments are nested deeper than {MAX_DEPTH} levels", {}
    return None, args


def waiting_for(record: AgentExecution | None, decision: ApprovalDecision) -> list[AgentToolCall]:
    """The waiting calls a decision is about; ValueError (the update is rejected) when there are none."""
    waiting = record.waiting_approvals() if record else []
    chosen = [c for c in waiting if decision.call_id in (None, c.call_id)]
    if not chosen:
        # The ids are the model's (and the decision's, the sender's): the refusal reaches `temporal workflow
        # update` and the Web UI as written, so each is cut, escaped and quoted as a shell reads it.
        ids = ", ".join(quoted_id(c.call_id) for c in waiting) or "none"
        asked = f"no call {quoted_id(decision.call_id)}" if decision.call_id is not None else "no call"
        raise ValueError(f"{asked} is waiting for approval (waiting: {ids})")
    return chosen


def decide(calls: list[AgentToolCall], decision: ApprovalDecision, status: ApprovalStatus, now: datetime) -> list[str]:
    for call in calls:
        assert call.approval is not None
        call.approval.status, call.approval.decided_at = status, now
        call.approval.reason = decision.reason or None
    return [c.call_id for c in calls]


def mark_cancelled(record: AgentExecution, now: datetime) -> None:
    for step in record.steps[-1:]:
        for call in step.tool_calls:
            if call.state in (StepState.PENDING, StepState.CALLING_TOOL):
                call.state = StepState.CANCELLED
        if step.state not in (StepState.COMPLETED, StepState.ERROR):
            step.state, step.ended_at = StepState.CANCELLED, now
