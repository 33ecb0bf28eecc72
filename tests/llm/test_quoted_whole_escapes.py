"""An endpoint's body quoted in an error (``errors.quoted``) is escaped and then cut: cut at 300 characters,
an escape there was split in half (``\\u00``), read as a broken escape or a different character. The cut is
made before the escape; and whatever the cut, no part of a masked key is shown."""

from __future__ import annotations

import re
import uuid

import pytest

from orchestra.llm.errors import QUOTED_CHARS, quoted
from orchestra.telemetry import redaction

WHOLE_ESCAPES = re.compile(r"\\u[0-9a-f]{4}")


@pytest.mark.parametrize("start", range(QUOTED_CHARS - 14, QUOTED_CHARS + 2))
@pytest.mark.parametrize("hidden", ["\x1b", "\u202e", "\U000e0041"], ids=["esc", "bidi", "tag"])
def test_the_cut_never_splits_an_escape(start: int, hidden: str) -> None:
    shown = quoted("x" * start + hidden * 50)
    assert len(shown) <= QUOTED_CHARS
    rest = WHOLE_ESCAPES.sub("", shown.removesuffix("…"))
    assert "\\" not in rest, shown[-20:]


@pytest.mark.parametrize("start", range(QUOTED_CHARS - 40, QUOTED_CHARS + 2, 3))
def test_a_masked_key_near_the_cut_is_never_shown_in_part(start: int) -> None:
    key = f"sk-live-{uuid.uuid4().hex}"
    redaction.remember(key)
    for body in ("a" * start + key + " tail", "\x1b" * (start // 6) + key, "\u202e" * (start // 6 - 1) + "ab" + key):
        shown = quoted(body)
        assert len(shown) <= QUOTED_CHARS
        for part in range(0, len(key) - 8):
            assert key[part : part + 9] not in shown, (start, shown[-60:])
