"""What an LLM call's failure means for a retry, as Temporal understands it, and for the record.

401/403 and bad requests never improve on a retry (non-retryable); 429, 5xx, timeouts and bodies that
are not a chat completion do, 429/5xx after the delay the server asks for in Retry-After
(ApplicationError.next_retry_delay overrides the backoff for that one attempt). The retries themselves
are Temporal's, from the activity's RetryPolicy, told by each error's own ``non_retryable``.

An error reaches the record as its ``kind`` (``llm_error``, or ``timeout`` when the endpoint did not
answer in time), its ``code`` (which failure) and the HTTP status: the ApplicationError's type is the
kind, its details carry code, status and whether a retry could help.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from temporalio.exceptions import ApplicationError

from orchestra.errors import ErrorKind
from orchestra.retry_after import retry_after_seconds
from orchestra.secrets import settings_masker
from orchestra.shown_ids import escaped
from orchestra.telemetry.redaction import quoted_start, redact_text
from orchestra.telemetry.remembered_settings import remember_secret_settings
from orchestra.text import cut_escaped

LLM_AUTH = "llm_auth"
LLM_RATE_LIMITED = "llm_rate_limited"
LLM_UNAVAILABLE = "llm_unavailable"
LLM_TIMEOUT = "llm_timeout"
LLM_BAD_REQUEST = "llm_bad_request"
LLM_BAD_RESPONSE = "llm_bad_response"
LLM_BAD_ANSWER = "llm_bad_answer"
LLM_TOO_LARGE = "llm_too_large"
MAX_RETRY_AFTER_S = 600.0
QUOTED_CHARS = 300
_QUOTED_READ_FACTOR = 4


class LLMError(Exception):
    code = LLM_UNAVAILABLE
    kind = ErrorKind.LLM_ERROR
    retryable = True

    def __init__(self, message: str, *, status: int | None = None, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after_s = retry_after_s

    def to_application_error(self, mask: Callable[[str], str] = str) -> ApplicationError:
        """``mask``: what the message goes through before a history has it (the worker's secret settings)."""
        delay = timedelta(seconds=self.retry_after_s) if self.retry_after_s is not None else None
        details: dict[str, object] = {"code": self.code, "retryable": self.retryable}
        if self.status is not None:
            details["status"] = self.status
        if self.retry_after_s is not None:
            details["retry_after_s"] = self.retry_after_s
        return ApplicationError(
            mask(str(self)), details, type=self.kind, non_retryable=not self.retryable, next_retry_delay=delay
        )


def masked_failure(error: LLMError) -> ApplicationError:
    """``error`` as a failure for a history, masked by the process's secret settings: an endpoint's refusal may quote
    what it was given (a gateway sharing the worker's secrets). For a thread: a setting's masker is compiled on its
    first use, seconds of CPU for a long key."""
    return error.to_application_error(settings_masker().text)


class LLMAuthError(LLMError):
    code, retryable = LLM_AUTH, False


class LLMBadRequest(LLMError):
    code, retryable = LLM_BAD_REQUEST, False


class LLMRateLimited(LLMError):
    code = LLM_RATE_LIMITED


class LLMUnavailable(LLMError):
    code = LLM_UNAVAILABLE


class LLMTimeout(LLMError):
    """The endpoint did not answer within the client's timeout."""

    code, kind = LLM_TIMEOUT, ErrorKind.TIMEOUT


class LLMBadResponse(LLMError):
    """A body that is not a chat completion (not JSON, no ``choices``): a proxy's error page, a hiccup."""

    code = LLM_BAD_RESPONSE


class LLMAnswerTooLarge(LLMBadResponse):
    """A body longer than any chat completion: read whole, an endless one (a broken proxy, a hostile
    endpoint) held the worker's memory until it died. Not retried: an endpoint that wrote it once writes it
    again, and each attempt costs the worker the whole cap."""

    code, retryable = LLM_TOO_LARGE, False


class LLMBadAnswer(LLMError):
    """The model's answer stayed invalid after the allowed re-asks."""

    code, retryable = LLM_BAD_ANSWER, False


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as every client here reads it (orchestra/retry_after.py); capped so a broken server
    cannot park a run for days."""
    seconds = retry_after_seconds(value)
    return None if seconds is None else min(seconds, MAX_RETRY_AFTER_S)


def quoted(body: str) -> str:
    """The start of what an endpoint sent, on one line, to quote in an error. Masked before it is cut: an
    endpoint (or a proxy before it) may echo the API key, in any encoding, in what it sends back. Only as
    far past the cut as a value can reach is masked (``quoted_start``: masked whole, a megabyte's body held
    the event loop), and 4 times the quote's length of it: its indentation and line breaks fold away, and what
    a terminal would act on is escaped (the run's failure reaches `temporal workflow describe` as written), the
    cut made before an escape it would split (``\\u00`` and its four hex digits left out, not half shown).
    The process's secret settings are masked before the cut too, as a history masks them (``***``): masked after it
    (``masked_failure``), one the cut ran through was no longer found and its start reached the history. Remembered by
    the log masker first, so that the read goes as far past the cut as their forms reach. For a thread: the maskers
    are made at their first quote (seconds of CPU for long keys)."""
    remember_secret_settings()
    settings = settings_masker()
    start = quoted_start(body, _QUOTED_READ_FACTOR * QUOTED_CHARS, lambda text: redact_text(settings.text(text)))
    return cut_escaped(escaped(" ".join(start.split())), QUOTED_CHARS)


def error_for_status(status: int, body: str, retry_after: str | None) -> LLMError:
    snippet = quoted(body)
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
