"""A reply's tool-call arguments, read where reading them may take long: in the model step's activity.

Workflow code read each call's arguments in Python, walking every value (half surrogate pairs replaced,
the nesting measured): 4 MB of ``[0,0,...]`` in one reply took 15 s of one workflow task, which Temporal's
deadlock detector failed and retried for ever (the run hung). The activity now does that walk, bounded in
values and depth over the whole reply, and hands the workflow each call's arguments as plain JSON text, or
why the call cannot run; the workflow then only parses that text (C code). Replies recorded before carry
no such word (``None``), and the workflow reads them as it did.
"""

from __future__ import annotations

import json
from typing import Any

from orchestra.documents import parse_json
from orchestra.llm.types import Message
from orchestra.references import MAX_DEPTH, whole_characters

# JSON values (objects, arrays, strings, numbers...) in all of a reply's arguments: a model writing more than
# this in one reply writes a file's worth of data through a call, where a path or a URL would do. Parsing
# this many in workflow code stays within a few tens of milliseconds.
MAX_ARGUMENT_VALUES = 100_000


def checked_arguments(message: Message) -> tuple[Message, dict[str, str]]:
    """The reply with each call's arguments rewritten as plain JSON (half surrogate pairs as U+FFFD), and
    the problems of the calls that cannot run, by their position in the reply (as text: a JSON key)."""
    problems: dict[str, str] = {}
    calls = []
    left = MAX_ARGUMENT_VALUES
    for index, call in enumerate(message.tool_calls or []):
        problem, args, counted = _read(call.function.arguments, left)
        if problem is not None:  # not handed on: its values are not the workflow's to parse
            problems[str(index)] = problem
            calls.append(call)
            continue
        left -= counted
        function = call.function.model_copy(update={"arguments": json.dumps(args, ensure_ascii=False)})
        calls.append(call.model_copy(update={"function": function}))
    return message.model_copy(update={"tool_calls": calls or None}), problems


def _read(text: str, left: int) -> tuple[str | None, Any, int]:
    """(why the arguments cannot run, or None; their value; how many values were counted)."""
    try:
        value = parse_json(text or "{}")
    except ValueError as exc:
        return f"the arguments are not valid JSON ({type(exc).__name__}: {exc})", None, 0
    if not isinstance(value, dict):
        return "the arguments must be a JSON object", None, 0
    counted, deepest = _measure(value, left)
    if counted > left:
        return (
            f"the arguments of this reply's calls hold more than {MAX_ARGUMENT_VALUES:,} JSON values in all: pass "
            "large data by reference (a file's path, a URL), or split it over several replies",
            None,
            counted,
        )
    if deepest > MAX_DEPTH:
        return f"the arguments are nested deeper than {MAX_DEPTH} levels", None, counted
    return None, whole_characters(value), counted


def _measure(value: Any, most: int) -> tuple[int, int]:
    """How many values ``value`` holds (past ``most``: ``most + 1``, the count stopped before a container's
    children are listed) and how deep it nests (past MAX_DEPTH: the walk stops there)."""
    counted, deepest = 0, 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        counted += 1
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                break
            if counted + len(stack) + len(item) > most:
                return most + 1, deepest
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return counted, deepest
