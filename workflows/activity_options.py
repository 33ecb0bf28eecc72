"""Temporal options for a step's activity, and what a step's failure means: pure helpers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio.common import RetryPolicy
from temporalio.exceptions import (
    ActivityError,
    ApplicationError,
    CancelledError,
    RetryState,
    TimeoutError,
    TimeoutType,
)

from orchestra.errors import NON_RETRYABLE_KINDS, ErrorKind, ExecutionError
from orchestra.tool_spec import RetryHints

# What awaiting an activity can raise when it fails. A local activity's failure can arrive as the bare
# ApplicationError rather than wrapped in ActivityError, so every handler catches both.
ACTIVITY_FAILURES = (ActivityError, ApplicationError)


def retry_policy(hints: RetryHints) -> RetryPolicy:
    return RetryPolicy(
        initial_interval=timedelta(seconds=hints.initial_interval_s),
        backoff_coefficient=hints.backoff,
        maximum_interval=timedelta(seconds=hints.max_interval_s),
        maximum_attempts=hints.max_attempts,
        non_retryable_error_types=sorted(NON_RETRYABLE_KINDS),
    )


def classify_failure(err: BaseException, max_attempts: int) -> tuple[ExecutionError, int]:
    """Turn what an activity raised into the record's error and the number of attempts made."""
    cause = err.cause if isinstance(err, ActivityError) else err
    exhausted = isinstance(err, ActivityError) and err.retry_state in (
        RetryState.MAXIMUM_ATTEMPTS_REACHED,
        RetryState.TIMEOUT,
    )
    attempts = max_attempts if exhausted else 1
    if isinstance(cause, ApplicationError):
        details: dict[str, Any] = cause.details[0] if cause.details and isinstance(cause.details[0], dict) else {}
        attempts = int(details.get("attempt") or attempts)
        kind = ErrorKind(cause.type) if cause.type in set(ErrorKind) else ErrorKind.SYSTEM
        retryable = bool(details.get("retryable", not cause.non_retryable))
        status = {"status": details["status"]} if details.get("status") is not None else None  # HTTP, for LLM calls
        error = ExecutionError.of(kind, cause.message, retryable=retryable, code=details.get("code"), details=status)
        return error, attempts
    if isinstance(cause, TimeoutError):
        what = TimeoutType(cause.type).name.lower() if cause.type is not None else "unknown"
        return ExecutionError.of(ErrorKind.TIMEOUT, f"activity timed out ({what})", code=what), attempts
    if isinstance(cause, CancelledError):
        return ExecutionError.of(ErrorKind.USER_CANCELLED, "cancelled"), attempts
    return ExecutionError.of(ErrorKind.SYSTEM, str(cause or err)), attempts
