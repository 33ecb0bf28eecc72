"""What an LLM call's failure means for a retry, as Temporal understands it.

401/403 and bad requests never improve on a retry (non-retryable); 429 and 5xx do, after the delay
the server asks for in Retry-After (ApplicationError.next_retry_delay overrides the backoff for that
one attempt). The retries themselves are Temporal's, from the activity's RetryPolicy.
"""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime, timedelta

from temporalio.exceptions import ApplicationError

LLM_AUTH = "llm_auth"
LLM_RATE_LIMITED = "llm_rate_limited"
LLM_UNAVAILABLE = "llm_unavailable"
LLM_BAD_REQUEST = "llm_bad_request"
LLM_BAD_ANSWER = "llm_bad_answer"
NON_RETRYABLE_LLM = (LLM_AUTH, LLM_BAD_REQUEST, LLM_BAD_ANSWER)
MAX_RETRY_AFTER_S = 600.0


class LLMError(Exception):
    kind = LLM_UNAVAILABLE
    retryable = True

    def __init__(self, message: str, *, status: int | None = None, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after_s = retry_after_s

    def to_application_error(self) -> ApplicationError:
        delay = timedelta(seconds=self.retry_after_s) if self.retry_after_s is not None else None
        return ApplicationError(
            str(self),
            {"status": self.status, "retry_after_s": self.retry_after_s},
            type=self.kind,
            non_retryable=not self.retryable,
            next_retry_delay=delay,
        )


class LLMAuthError(LLMError):
    kind, retryable = LLM_AUTH, False


class LLMBadRequest(LLMError):
    kind, retryable = LLM_BAD_REQUEST, False


class LLMRateLimited(LLMError):
    kind = LLM_RATE_LIMITED


class LLMUnavailable(LLMError):
    kind = LLM_UNAVAILABLE


class LLMBadAnswer(LLMError):
    """The model's answer stayed invalid after the allowed re-asks."""

    kind, retryable = LLM_BAD_ANSWER, False


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After is seconds or an HTTP date; capped so a broken server cannot park a run for days."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_S)


def error_for_status(status: int, body: str, retry_after: str | None) -> LLMError:
    snippet = " ".join(body.split())[:300]
    if status in (401, 403):
        return LLMAuthError(f"LLM endpoint refused the credentials (HTTP {status}): {snippet}", status=status)
    if status == 429:
        return LLMRateLimited(
            f"LLM endpoint rate-limited the call (HTTP 429): {snippet}",
            status=status,
            retry_after_s=parse_retry_after(retry_after),
        )
    if status >= 500 or status in (408, 409):
        return LLMUnavailable(
            f"LLM endpoint failed (HTTP {status}): {snippet}",
            status=status,
            retry_after_s=parse_retry_after(retry_after),
        )
    return LLMBadRequest(f"LLM endpoint rejected the request (HTTP {status}): {snippet}", status=status)
