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
from orchestra.storage.errors import StoredPayloadTooLarge
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


# What to do about a value over the storage limit, when its caller has nothing more specific to say.
RAISE_THE_LIMIT = "raise ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES, or use a store that takes larger values"


def classify_failure(
    err: BaseException, max_attempts: int, stored: str = "a value the run stores", remedy: str = RAISE_THE_LIMIT
) -> tuple[ExecutionError, int]:
    """Turn what an activity raised into the record's error and the number of attempts made. A value over
    the storage limit is said as ``stored`` (what the activity stored), its size, the limit and ``remedy``."""
    cause = err.cause if isinstance(err, ActivityError) else err
    if isinstance(cause, ApplicationError) and cause.type == StoredPayloadTooLarge.__name__:
        return _too_large(cause, stored, remedy), 1
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


def _too_large(cause: ApplicationError, stored: str, remedy: str) -> ExecutionError:
    """Storing it again fails the same way (the error is non-retryable: one attempt)."""
    sizes = cause.details[0] if cause.details and isinstance(cause.details[0], dict) else {}
    size, limit = sizes.get("size"), sizes.get("limit")
    said = (
        f"{stored} is {size:,} bytes, over the storage limit of {limit:,} bytes (ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES)"
        if isinstance(size, int) and isinstance(limit, int)
        else f"{stored} is over the storage limit: {cause.message}"
    )
    return ExecutionError.of(ErrorKind.SYSTEM, f"{said}; {remedy}", retryable=False, code="value_too_large")
