"""How many bytes of JSON one value may take to be stored whole under a storage limit.

The store measures the payload it is handed: the value's JSON, the payload's metadata and framing, and what the codec
wraps around it (encryption's nonce, tag and key id: ENVELOPE_BYTES). A value measured by its JSON alone against the
limit was refused when stored, and a workflow task that sends it fails again and again (workflows/handover_pieces.py);
a piece cut to this room is not.
"""

from __future__ import annotations

from functools import cache

from orchestra.converter import PayloadConverter
from orchestra.payload_bytes import ENVELOPE_BYTES
from orchestra.settings import NOTHING_STORED_OUTSIDE


@cache
def framing_bytes() -> int:
    """A payload's bytes besides its data: its metadata, and the data's tag and length (up to 10 bytes)."""
    [payload] = PayloadConverter().to_payloads([[]])
    return payload.ByteSize() - len(payload.data) + 10


def value_room(limit: int, limit_name: str) -> int | None:
    """The JSON bytes of one value stored alone, or as the one item of a list, under ``limit`` (its ``limit_name``);
    None where nothing is stored outside the history (Temporal's payload limit bounds it, not a store) or no limit is
    known (0)."""
    if not limit or limit_name == NOTHING_STORED_OUTSIDE:
        return None
    return limit - framing_bytes() - ENVELOPE_BYTES - 2


def piece_bytes(most: int, room: int | None) -> int:
    """The bytes of JSON a piece of a plan or of its schedule holds at most: ``most``, or fewer where a piece that large
    would not fit the ``room`` a stored value has (``value_room``; None: no store bounds it). At least 1: a step larger
    alone is a piece of its own, and its store says it is over the limit."""
    return most if room is None else max(1, min(most, room))
