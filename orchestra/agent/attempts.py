"""How many Temporal attempts one agent call may have: its tool's, or fewer when the call's own arguments
say it may not be sent twice (``ToolSpec.attempts_for``: a POST without an Idempotency-Key gets one, since
a timeout or a lost worker says nothing of what the server did). The workflow works it out from the
model's arguments, so a rule that reads them travels in ``ToolInfo`` by name and runs here, pure."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

from orchestra.tool_spec import ToolSpec
from orchestra.tools import http_request

AttemptsRule = Literal["http_request"]
# Every ``attempts_for`` that reads a call's arguments, the very function the plan's check calls; any other
# (a declared HTTP tool's: its file's method) is read once, with none. An MCP tool's annotations are in its
# ``retry`` instead (tests/tools/test_http_attempt_rules.py holds the agent's attempts to the plan's).
RULES: dict[AttemptsRule, Callable[[Mapping[str, Any]], int | None]] = {"http_request": http_request.attempts_for}


def rule_of(spec: ToolSpec) -> tuple[AttemptsRule | None, int]:
    """The spec's rule by name when it reads a call's arguments, and the attempts left to every call: a
    declared HTTP tool's rule reads its declaration alone (its method and header names), so it is one
    number for all its calls."""
    named = next((name for name, rule in RULES.items() if rule is spec.attempts_for), None)
    most = spec.attempts_for({}) if spec.attempts_for and named is None else None
    return named, min(spec.retry.max_attempts, most or spec.retry.max_attempts)


def call_attempts(rule: AttemptsRule | None, max_attempts: int, args: Mapping[str, Any]) -> int:
    """The tool's ``max_attempts``, capped by what its rule says of these arguments."""
    most = RULES[rule](args) if rule else None
    return min(max_attempts, most or max_attempts)
