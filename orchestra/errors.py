"""Error classification shared by tools, activities and workflows.

The kinds and the recoverable/retryable flags follow the seed's ExecutionError. The kind travels
as the ApplicationError ``type`` so Temporal's RetryPolicy can refuse to retry non-retryable kinds
without any hand-written retry loop.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel


class ErrorKind(StrEnum):
    LLM_ERROR = "llm_error"
    TOOL_ERROR = "tool_error"
    TIMEOUT = "timeout"
    VALIDATION = "validation"
    SYSTEM = "system"
    USER_CANCELLED = "user_cancelled"


RECOVERABLE_KINDS = frozenset({ErrorKind.TIMEOUT, ErrorKind.LLM_ERROR, ErrorKind.TOOL_ERROR})
# Validation and cancellation never improve on a retry; Temporal is told so through this list.
NON_RETRYABLE_KINDS = frozenset({ErrorKind.VALIDATION, ErrorKind.USER_CANCELLED})


class ExecutionError(BaseModel):
    """A failure as the execution record keeps it."""

    type: ErrorKind
    message: str
    code: str | None = None
    details: Any = None
    timestamp: str | None = None
    recoverable: bool = False
    retryable: bool = False

    @classmethod
    def of(cls, kind: ErrorKind, message: str, *, retryable: bool | None = None, **extra: Any) -> ExecutionError:
        return cls(
            type=kind,
            message=message,
            recoverable=kind in RECOVERABLE_KINDS,
            retryable=(kind not in NON_RETRYABLE_KINDS) if retryable is None else retryable,
            **extra,
        )


class ToolError(Exception):
    """Raised by a tool; ``retryable`` says whether trying again could succeed (HTTP 503: yes, 404: no)."""

    kind = ErrorKind.TOOL_ERROR

    def __init__(
        self, message: str, *, retryable: bool = False, code: str | None = None, retry_after_s: float | None = None
    ) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.code = code
        # The server's word on when to try again (HTTP Retry-After): the next attempt not before it.
        self.retry_after_s = retry_after_s


class ToolValidationError(ToolError):
    """Arguments that break a tool's schema or its confinement rules; never retried."""

    kind = ErrorKind.VALIDATION

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message, retryable=False, code=code)


class PlanValidationError(Exception):
    """A plan that cannot run; ``problems`` lists every problem found, each naming its node."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid plan:\n" + "\n".join(f"  - {p}" for p in problems))
