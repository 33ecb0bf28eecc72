"""The bytes the payload converter writes for a value, without the converter: what a size check needs.

orchestra.converter builds on temporalio's converters, and importing them costs a command that only checks
a plan's sizes (`validate --plan`, `plan --out`) 0.3-0.6 s of CPU, most of its start-up. The JSON is
pydantic's either way: the SDK's pydantic converter writes ``pydantic_core.to_json(value)``, and
CompactJSONPayloadConverter writes the models that set ``payload_without_defaults`` without their defaults.
tests/ops/test_payload_bytes.py compares the two on many values, so a change to either shows there.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import to_json

# What a store, or Temporal, counts of a payload besides the data payload_data gives: its metadata, the data's tag
# and length, and what the codec wraps it in (AES-GCM's nonce and tag, metadata naming the cipher and a key id of up
# to 256 bytes: 440 bytes in all, measured). A value measured to fit a limit leaves this much room, or is refused
# when it is stored (the client's check of a plan, orchestra/limits.py, and workflows/handover_pieces.py leave it too).
ENVELOPE_BYTES = 1024


def payload_data(value: Any) -> bytes:
    """The data of the payload orchestra.converter writes for ``value`` (its JSON, UTF-8)."""
    if getattr(type(value), "payload_without_defaults", False):
        written: bytes = value.model_dump_json(exclude_defaults=True).encode()
        return written
    return to_json(value)
