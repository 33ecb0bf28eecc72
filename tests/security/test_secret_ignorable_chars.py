"""Every character that shows as nothing, or as a mark on the one before, inside a secret: Unicode's default
ignorables (the Mongolian vowel separator U+180E, the grapheme joiner U+034F, the Hangul filler U+115F, variation
selectors, bidi controls U+202A-202E and U+2066-2069, tags U+E0000-E007F) and combining marks (a struck-through
'h\\u0336u\\u0336n...' reads 'hun...'). A list of six (zero-width space, joiners, BOM, soft hyphen) let these show
the secret, as they are and JSON-escaped, short secrets in fullwidth forms too."""

from __future__ import annotations

import json
import re

import pytest

from orchestra.invisible_chars import IGNORABLE_RANGES, INVISIBLE
from orchestra.secrets import MASK, Masker

SHOWN_AS_NOTHING = [
    "\u180e",
    "\u034f",
    "\u115f",
    "\u3164",
    "\ufe0f",
    "\U000e0101",
    "\u202a",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u200e",
    "\u061c",
    "\U000e0041",
    "\U000e007f",
    "\u0336",
    "\u20e3",
    "\ufff9",
    "\U00013430",
]


@pytest.mark.parametrize("secret", ["hunter2secret", "Kx9#q2", "2026"])
@pytest.mark.parametrize("invisible", SHOWN_AS_NOTHING)
def test_a_secret_spliced_with_a_character_shown_as_nothing_is_masked(secret: str, invisible: str) -> None:
    masker = Masker([secret])
    spliced = invisible.join(secret)
    for shown in (spliced, json.dumps(spliced)[1:-1], json.dumps(spliced)[1:-1].replace("\\", "\\\\")):
        masked = masker.text(f"a {shown} b")
        assert masked.startswith(f"a {MASK}") and masked.endswith(" b"), (invisible, shown, masked)
        assert secret[-2:] not in masked.replace(invisible, ""), (invisible, shown, masked)


def test_a_short_secret_in_fullwidth_digits_with_bidi_controls_is_masked() -> None:
    masker = Masker(["2026"])
    assert (
        masker.text("pin \u2066\uff12\u202e\uff10\u180e\uff12\U000e0032\uff16\u2069 ok") == f"pin \u2066{MASK}\u2069 ok"
    )


def test_ordinary_text_with_such_characters_is_not_masked() -> None:
    masker = Masker(["hunter2secret", "2026"])
    # Not 'hunter2 secret': a space between a long secret's pieces reads it whole (test_secret_spaced_in_shell_output).
    text = "caf\u0065\u0301 \u202ehello\u202c 2\u200e025 r\u00e9sum\u00e9 \U000e0041x hunter2 secrecy"
    assert masker.text(text) == text


def test_every_character_shown_as_nothing_is_read_as_it_is_and_json_escaped_and_no_other() -> None:
    invisible, inside = (
        re.compile(INVISIBLE),
        {code for first, last in IGNORABLE_RANGES for code in range(first, last + 1)},
    )
    for code in inside:
        once = json.dumps(chr(code))[1:-1]
        for form in (chr(code), once, once.replace("\\", "\\\\"), once.upper().replace("\\U", "\\u")):
            assert invisible.fullmatch(form), (hex(code), form)
    for first, last in IGNORABLE_RANGES:
        for code in (first - 1, last + 1):
            if code not in inside and not 0xD800 <= code <= 0xDFFF:
                assert not invisible.fullmatch(chr(code)) and not invisible.fullmatch(json.dumps(chr(code))[1:-1])
