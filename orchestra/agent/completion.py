"""When is the task done? Only when the model calls ``task_done`` (verified) and every other call of the
same reply completed; a reply that says so in words is an unverified claim, and the model is asked to
continue (the seed's checkTaskCompletion). Replies the model may not know went wrong (empty, cut off at
max_tokens, filtered) are told to it here too."""

from __future__ import annotations

import json

from orchestra.agent.models import AgentStep, Completion
from orchestra.documents import parse_json
from orchestra.llm.types import NO_CHOICES, Message, ToolCallRequest, ToolDefinition
from orchestra.record import StepState
from orchestra.references import whole_characters
from orchestra.shown_ids import named

TASK_DONE = "task_done"

COMPLETION_PHRASES = (
    "task completed",
    "task finished",
    "job done",
    "implementation complete",
    "task is complete",
    "task is done",
    "task has been completed",
    "i have completed the task",
)

NUDGE = (
    "It seems that you have not completed the task or made any tool call. Please continue working on "
    "the task with the tools you have, and call task_done when it is complete."
)

UNVERIFIED = (
    "You said the task is complete, but you did not call task_done, so it is not finished yet. If it is "
    "really complete, call task_done with a short summary; otherwise continue working on it."
)


EMPTY_REPLY = (
    "Your last reply was empty (the endpoint returned no choices). Continue working on the task with the "
    "tools you have, and call task_done when it is complete."
)

CUT_OFF = (
    "Your last reply was cut off at the max_tokens limit (finish_reason: length): any tool call in it may "
    "be incomplete. Reply more briefly, or split the work into smaller calls."
)

FILTERED = (
    "Your last reply was stopped by the endpoint's content filter (finish_reason: content_filter). "
    "Rephrase, or take a different approach to the task."
)

NOTES = {NO_CHOICES: EMPTY_REPLY, "length": CUT_OFF, "content_filter": FILTERED}


def task_done_definition() -> ToolDefinition:
    return ToolDefinition(
        name=TASK_DONE,
        description="Call this, and only this, when the task is complete and you have checked the result.",
        parameters={
            "type": "object",
            "properties": {"summary": {"type": "string", "description": "what was done, in a few sentences"}},
            "required": ["summary"],
        },
    )


def check_completion(message: Message, problems: dict[str, str] | None = None) -> Completion:
    """``problems``: the model step's word on each call's arguments (orchestra/agent/arguments.py), or None."""
    for index, call in enumerate(message.tool_calls or []):
        if call.function.name == TASK_DONE:
            summary = _summary(call, None if problems is None else str(index) not in problems)
            return Completion(indicated=True, verified=True, reason="task_done called", summary=summary)
    text = (message.content or "").lower()
    for phrase in COMPLETION_PHRASES:
        if phrase in text:
            return Completion(indicated=True, verified=False, reason=f"claimed in words ({phrase!r})")
    return Completion()


def _summary(call: ToolCallRequest, plain: bool | None) -> str:
    """``plain``: whether the activity found the arguments a plain JSON object (None: not asked)."""
    arguments = call.function.arguments
    if plain is False:
        return arguments
    try:
        value = json.loads(arguments) if plain else whole_characters(parse_json(arguments))
    except ValueError:
        return arguments
    if isinstance(value, dict) and isinstance(value.get("summary"), str):
        return str(value["summary"])
    return arguments


def reflection(step: AgentStep) -> str | None:
    """The seed's reflect-on-result: after failed calls, a word to change course rather than repeat them."""
    failed = [c for c in step.tool_calls if c.state == StepState.ERROR and c.duplicate_of is None]
    if not failed:
        return None
    names = ", ".join(f"{named(c.tool)} ({c.call_id})" for c in failed)  # an unknown tool: any length
    return (
        f"{len(failed)} tool call(s) failed: {names}. Read the errors above; fix the arguments or try a "
        "different approach instead of repeating the same call."
    )


def reply_note(step: AgentStep) -> str | None:
    """What the model must hear about the shape of its last reply, if anything."""
    notes = [NOTES.get(step.finish_reason or ""), too_many_calls(step)]
    return " ".join(n for n in notes if n) or None


def too_many_calls(step: AgentStep) -> str | None:
    if not step.calls_dropped:
        return None
    kept = len(step.tool_calls)
    return (
        f"Your reply asked for {kept + step.calls_dropped} tool calls; only the first {kept} ran and the other "
        f"{step.calls_dropped} were not made. Ask for at most {kept} calls in one reply."
    )


def confirm(step: AgentStep) -> None:
    """After the reply's calls ran: task_done is not accepted when another call of the same reply did not
    complete (failed, rejected, halted); the model hears why in task_done's own result."""
    if not step.completion.verified:
        return
    unfinished = [c for c in step.tool_calls if c.tool != TASK_DONE and c.state != StepState.COMPLETED]
    if not unfinished:
        return
    names = ", ".join(f"{named(c.tool)} ({c.call_id}): {c.state.value}" for c in unfinished)
    step.completion = Completion(indicated=True, verified=False, reason=f"task_done called, but not completed: {names}")
    for call in step.tool_calls:
        if call.tool == TASK_DONE:
            call.state = StepState.SKIPPED
            call.result = (
                f"not accepted: in the same reply, {names}. Check what went wrong, and call task_done again "
                "once the task is really complete."
            )
