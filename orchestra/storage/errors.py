"""Stored payloads that can never be read.

A worker reads stored payloads while it decodes a workflow task; an error there fails the task, and
Temporal retries a failed task for ever. For a payload that is gone (pruned, another data folder, an
expired S3 object) or not what its claim says, no retry can help: these errors are non-retryable
ApplicationErrors, which the worker turns into the run's failure, naming the payload, instead.
"""

from __future__ import annotations

from temporalio.exceptions import ApplicationError


class StoredPayloadError(ApplicationError):
    def __init__(self, message: str) -> None:
        super().__init__(message, type=type(self).__name__, non_retryable=True)


class StoredPayloadMissing(StoredPayloadError):
    """A claim whose payload is gone: pruned, expired, or this process reads another store."""


class StoredPayloadInvalid(StoredPayloadError, ValueError):
    """A claim this driver did not write, or a payload that does not match its claim."""


class StoredPayloadTooLarge(ApplicationError, ValueError):
    """A payload over the storage limit: storing it again fails the same way, so it is not retried; the
    caller that knows what the payload was says so (``too_large_to_store``)."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"payload of {size:,} bytes exceeds the storage limit of {limit:,} bytes (ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES)",
            {"size": size, "limit": limit},
            type=type(self).__name__,
            non_retryable=True,
        )


def check_payload_size(size: int, limit: int) -> None:
    if size > limit:
        raise StoredPayloadTooLarge(size, limit)
