"""Keeping the conversation within the model's context window, counted in tokens.

Tokens are estimated deterministically (about four characters per token, plus a few per message), so
the same conversation is always cut the same way: the workflow calls this code, and replay must agree.
The system prompt and the task are always kept, and so is the latest turn (the last assistant reply
with its tool results and the notes the workflow added about them; its texts cut when it alone is over
the budget); older turns go first, whole, so a ``tool`` message never loses the assistant message that
asked for it, nor a note the error it is about.
"""

from __future__ import annotations

import json

from orchestra.llm.types import FunctionCall, Message, ToolDefinition

CHARS_PER_TOKEN = 4
MESSAGE_OVERHEAD = 4
# The least of each text a turn cut to fit keeps: enough to say what it was.
MIN_SHARE_TOKENS = 64
CUT_ARGUMENTS = "arguments_cut_to_fit_the_context"
TRUNCATION_MARKER = "\n...[{n} characters truncated to fit the context budget]...\n"


def estimate_tokens(text: str) -> int:
    return -(-len(text) // CHARS_PER_TOKEN)


def message_tokens(message: Message) -> int:
    total = MESSAGE_OVERHEAD + estimate_tokens(message.content or "")
    for call in message.tool_calls or []:
        total += MESSAGE_OVERHEAD + estimate_tokens(call.function.name + call.function.arguments)
    return total


def tools_tokens(tools: list[ToolDefinition]) -> int:
    return sum(estimate_tokens(json.dumps(t.wire())) for t in tools)


def truncate_output(text: str, max_tokens: int) -> tuple[str, bool]:
    """Head and tail of ``text`` with a marker in between, within ``max_tokens``."""
    limit = max_tokens * CHARS_PER_TOKEN
    if len(text) <= limit:
        return text, False
    room = max(limit - len(TRUNCATION_MARKER) - 8, 16)
    head, tail = room * 3 // 4, room // 4
    cut = len(text) - head - tail
    return text[:head] + TRUNCATION_MARKER.format(n=cut) + text[len(text) - tail :], True


def _turns(messages: list[Message]) -> list[list[Message]]:
    """Messages grouped so that an assistant reply, the tool results answering it and the workflow's notes
    about them (a failed call's reflection, a reply cut off or with too many calls, the nudge) stay together:
    a note kept alone as the latest turn told the model of an error it no longer saw."""
    turns: list[list[Message]] = []
    for m in messages:
        if m.role in ("tool", "user") and turns and turns[-1][0].role == "assistant":
            turns[-1].append(m)
        else:
            turns.append([m])
    return turns


def _within(turn: list[Message], room: int) -> list[Message]:
    """``turn`` whole when it fits in ``room`` tokens, else each of its texts (the reply, each call's
    arguments, each result and note) cut to an equal share of the room. Kept whole, one call whose
    arguments ran to megabytes (the reply's cap is 4 MB) was resent whole with the next request: past any
    model's window, the endpoint refused it (HTTP 400, not retried) and the run failed instead of the model
    hearing its call failed. Cut arguments stay a JSON object: some endpoints parse the history's."""
    if sum(message_tokens(m) for m in turn) <= room:
        return turn
    parts = sum(1 + len(m.tool_calls or []) for m in turn)
    share = max(room // parts - MESSAGE_OVERHEAD, MIN_SHARE_TOKENS)
    shrunk = []
    for m in turn:
        calls = [c.model_copy(update={"function": _call_within(c.function, share)}) for c in m.tool_calls or []]
        content = truncate_output(m.content, share)[0] if m.content else m.content
        shrunk.append(m.model_copy(update={"content": content, "tool_calls": calls or m.tool_calls}))
    return shrunk


def _call_within(function: FunctionCall, share: int) -> FunctionCall:
    """The call's name (an unknown tool's may be megabytes long) and its arguments within half a share each."""
    half = share // 2
    name, arguments = function.name, function.arguments
    if estimate_tokens(name) > half:
        name = name[: half * CHARS_PER_TOKEN]
    if estimate_tokens(arguments) > half:
        # A quarter of the share: quoted as a JSON string, its quotes and backslashes take two characters each.
        arguments = json.dumps({CUT_ARGUMENTS: truncate_output(arguments, half // 2)[0]}, ensure_ascii=False)
    return function.model_copy(update={"name": name, "arguments": arguments})


def fit(messages: list[Message], budget_tokens: int, pinned: int = 2) -> tuple[list[Message], int]:
    """The conversation to send within ``budget_tokens``, and how many messages were left out.

    The first ``pinned`` messages (system prompt, task) and the latest turn are always kept, even over
    budget; between them the newest turns are kept while they fit, and a note says what was left out.
    """
    head, rest = messages[:pinned], messages[pinned:]
    turns = _turns(rest)
    if not turns:
        return list(messages), 0
    room = budget_tokens - sum(message_tokens(m) for m in head)
    latest = _within(turns[-1], room)
    used = budget_tokens - room + sum(message_tokens(m) for m in latest)
    kept: list[list[Message]] = [latest]
    note_cost = MESSAGE_OVERHEAD + 20
    for turn in reversed(turns[:-1]):
        cost = sum(message_tokens(m) for m in turn)
        if used + cost + note_cost > budget_tokens:
            break
        kept.insert(0, turn)
        used += cost
    dropped = sum(len(t) for t in turns[: len(turns) - len(kept)])
    body = [m for t in kept for m in t]
    if dropped == 0:
        return [*head, *body], 0
    note = Message(role="user", content=f"[{dropped} earlier messages were left out to fit the context window]")
    return [*head, note, *body], dropped
