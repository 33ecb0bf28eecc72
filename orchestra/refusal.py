"""A payload that cannot be read, carried on as a refusal instead of an error.

The SDK reads every payload of a workflow task (stored values fetched, encryption undone) before the
workflow sees any of it, and an error there ends the run (a non-retryable error) or fails the task for
ever (any other), whichever job the payload belongs to. So whoever could signal a run could end it, or
stall it, with a reference naming a value the run may not read, or with a payload the codec cannot
decrypt. Instead, the storage (``storage.drivers.OwnedStorage``) and the codec (``converter.RefusingCodec``)
hand on a refusal in place of such a payload: the reason, never anything of the value. The converter
raises the refusal's error wherever a value is read (``orchestra.converter``): a start input, a
continue-as-new carry, an activity's or a child's result fail the run with it; an update is rejected with
the reason; a query fails with it; and a signal, which the SDK would drop with a log line only, is handed to
the workflow as a refused signal it records (``orchestra.signal_refusal``).

A payload encrypted with a key this worker does not have may become readable once the key is deployed
(a rotation under way), one this worker lacked the memory to decrypt on a retry: its refusal says so
(``transient``), and where it is a run's own input or result
it fails the workflow task, which Temporal retries until the key is there, instead of ending the run; a
signal, update or query carrying one is refused like any other.

A refusal is made in this process, after the history was read: a payload of this encoding arriving from
outside is refused all the same (``error_of``), so forging one gains nothing: it lacks the mark this process
gives its own refusals, and is read as unreadable whatever it claims (a forged key awaited would otherwise
fail its workflow task for ever).
"""

from __future__ import annotations

import hmac
import json
import os

from temporalio.api.common.v1 import Payload
from temporalio.exceptions import ApplicationError

from orchestra.storage.errors import StoredPayloadError, StoredPayloadInvalid, StoredPayloadMissing

ENCODING = b"orchestra/refused-reference"
MAX_REASON_CHARS = 1000
AWAITING_KEY = "AwaitingKey"
_MINT_KEY = "orchestra-refusal-mint"
_MINT = os.urandom(16)  # a refusal never leaves the process that made it, so this marks its own
UNREADABLE = "PayloadValidationError"  # the converter's type for a value it cannot read (converter.unreadable)
_STORED: dict[str, type[StoredPayloadError]] = {
    "StoredPayloadMissing": StoredPayloadMissing,
    "StoredPayloadInvalid": StoredPayloadInvalid,
}


class KeyAwaited(RuntimeError):
    """Not a failure of the run: the SDK fails the workflow task on it, and retries it."""


def refusal(error: ApplicationError, *, transient: bool = False) -> Payload:
    """The payload that stands for one ``error`` says cannot be read; ``transient``: by this worker, for now
    (a key not deployed yet, memory short), and a retry of its workflow task may read it."""
    kind = AWAITING_KEY if transient else error.type if error.type in _STORED else UNREADABLE
    reason = json.dumps({"type": kind, "message": error.message[:MAX_REASON_CHARS]})
    return Payload(metadata={"encoding": ENCODING, _MINT_KEY: _MINT}, data=reason.encode())


def is_refusal(payload: Payload) -> bool:
    return payload.metadata.get("encoding") == ENCODING


def error_of(payload: Payload) -> ApplicationError | KeyAwaited:
    """The error a refusal stands for, non-retryable but for a key awaited (a forged or damaged one: a
    refusal too)."""
    if not hmac.compare_digest(payload.metadata.get(_MINT_KEY, b""), _MINT):
        message = "a payload of the worker's own refusal encoding, made outside this worker"
        return ApplicationError(message, type=UNREADABLE, non_retryable=True)
    try:  # whatever the data: nested too deep to parse (RecursionError) included, it never raises
        reason = json.loads(payload.data)
        kind, message = str(reason["type"]), str(reason["message"])[:MAX_REASON_CHARS]
    except Exception:
        kind, message = UNREADABLE, "a refused payload (no reason given)"
    if kind == AWAITING_KEY:
        return KeyAwaited(message)
    stored = _STORED.get(kind)
    return stored(message) if stored else ApplicationError(message, type=UNREADABLE, non_retryable=True)
