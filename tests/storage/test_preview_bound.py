"""A preview of an output too large to keep stays within its bound as the record writes it. It was the first
``limit`` bytes of the output's JSON, whose quotes and backslashes are escaped again in the record: 128 bytes of
backslashes were 273 (an undo gap's ten previews, meant within a 64th of the value limit, twice that)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from orchestra.converter import PayloadConverter
from orchestra.record import TRUNCATED, preview

LIMIT = 128


# Quotes and backslashes (escaped twice), non-ASCII and control characters (escaped as \uXXXX), nesting, plain.
OUTPUTS = ["\\" * 5_000, '"' * 5_000, "\u20ac" * 5_000, "\x01" * 5_000, "\U0001f600" * 5_000,
           {"k": ["\\\"" * 3_000]}, "u" * 5_000]  # fmt: skip


@pytest.mark.parametrize("output", OUTPUTS)
def test_a_preview_is_within_its_bound_in_every_encoding(output: Any) -> None:
    shown, size, cut = preview(output, LIMIT)
    assert cut and size > LIMIT and isinstance(shown, str) and shown.endswith(TRUNCATED), shown
    [payload] = PayloadConverter().to_payloads([shown])
    written = {"payload": len(payload.data), "ascii JSON": len(json.dumps(shown).encode())}
    written["utf-8 JSON"] = len(json.dumps(shown, ensure_ascii=False).encode())
    assert all(bytes_ <= LIMIT + 2 for bytes_ in written.values()), written  # + its quotes
    assert len(shown) > LIMIT // 6 - len(TRUNCATED), "as much of the output as fits is kept"
