"""What every view of a run shows of others' words (orchestra/text.py)."""

from __future__ import annotations

import sys
import unicodedata

from orchestra.text import INVISIBLE, one_line, printable


def test_every_format_character_of_this_python_is_escaped() -> None:
    """The list is written out (computing it would slow every command's start): a Python with newer Unicode
    data may know format characters the list does not, and this fails until they are added."""
    missing = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in ("Cf", "Zl", "Zp", "Cs") and code not in INVISIBLE
    ]
    assert not missing, f"add to INVISIBLE_RANGES (Unicode {unicodedata.unidata_version}): {missing}"


def test_an_escape_is_shown_whole_or_not_at_all() -> None:
    text = "name\u202etxt.exe"
    assert printable(text) == "name\\u202etxt.exe"
    for width in range(1, 20):
        cut = one_line(text, width)
        assert "\u202e" not in cut and ("\\u" not in cut or "\\u202e" in cut), cut
    assert printable("\U000e0041") == "\\udb40\\udc41", "beyond the BMP as JSON would escape it"
    assert printable("caf\u00e9 \u65e5\u672c \x1b[31m") == "caf\u00e9 \u65e5\u672c \\u001b[31m"


def test_a_surrogate_pairs_escape_is_shown_whole_or_not_at_all() -> None:
    """A cut between its halves showed ``\\udb40…``: half a pair, which a JSON reader refuses."""
    text = "ab\U000e0001cdef"
    for width in range(1, 20):
        cut = one_line(text, width)
        assert "\\udb40" not in cut or "\\udb40\\udc01" in cut, (width, cut)
