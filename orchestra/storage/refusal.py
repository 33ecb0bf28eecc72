"""A stored reference that may not be read, carried on as a refusal instead of an error.

The SDK reads every stored payload of a workflow task before the workflow sees any of it, and an error
there ends the run (a non-retryable error) or fails the task for ever (any other), whichever job the
payload belongs to. So whoever could signal a run could end it with a reference naming a value the run
may not read. Instead, ``drivers.OwnedStorage`` hands on a refusal payload in place of such a reference:
its reason, never anything read from the store. The converter raises the refusal's error wherever a value
is read (``orchestra.converter``): a start input, a continue-as-new carry, an activity's or a child's
result fail the run as the read itself did; an update is rejected with the reason; a query fails with it;
and a signal, which the SDK would drop with a log line only, is handed to the workflow as a refused
signal it records (``orchestra.signal_refusal``).

A refusal is made in this process, after the history was read: a payload of this encoding arriving from
outside is refused all the same (``error_of``), so forging one gains nothing.
"""

from __future__ import annotations

import json

from temporalio.api.common.v1 import Payload

from orchestra.storage.errors import StoredPayloadError, StoredPayloadInvalid, StoredPayloadMissing

ENCODING = b"orchestra/refused-reference"
MAX_REASON_CHARS = 1000
_ERRORS: dict[str, type[StoredPayloadError]] = {
    "StoredPayloadMissing": StoredPayloadMissing,
    "StoredPayloadInvalid": StoredPayloadInvalid,
}


def refusal(error: StoredPayloadError) -> Payload:
    """The payload that stands for a reference ``error`` refused."""
    kind = error.type if error.type in _ERRORS else "StoredPayloadInvalid"
    reason = json.dumps({"type": kind, "message": error.message[:MAX_REASON_CHARS]})
    return Payload(metadata={"encoding": ENCODING}, data=reason.encode())


def is_refusal(payload: Payload) -> bool:
    return payload.metadata.get("encoding") == ENCODING


def error_of(payload: Payload) -> StoredPayloadError:
    """The error a refusal stands for (a forged or damaged one: a refusal too, with what can be read of it)."""
    try:
        reason = json.loads(payload.data)
        kind, message = str(reason["type"]), str(reason["message"])
    except (ValueError, TypeError, KeyError):
        kind, message = "StoredPayloadInvalid", "a refused stored reference (no reason given)"
    return _ERRORS.get(kind, StoredPayloadInvalid)(message[:MAX_REASON_CHARS])
