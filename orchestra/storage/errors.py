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
