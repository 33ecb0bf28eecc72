"""A short secret's token edges read letters and digits as the secret itself is read, in every form written alike
(fullwidth, mathematical, other scripts' digits): ASCII edges alone left a fullwidth PIN glued to letters ('abc',
'2026' in fullwidth digits, 'Def') in clear, where 'abc2026Def' was masked. And a secret of letters and digits
('Code12') is a word by itself only at its camelCase edges: 'pinCode12x' reads pin, Code12x (as 'x2026y' is one
token), and was masked 'pin***x'."""

from __future__ import annotations

import pytest

from orchestra.secrets import Masker, mask_secrets


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


@pytest.mark.parametrize(
    ("secret", "text", "expected"),
    [
        ("2026", "abc\uff12\uff10\uff12\uff16Def", "abc***Def"),
        ("2026", fullwidth("abc") + "2026" + fullwidth("Def"), fullwidth("abc") + "***" + fullwidth("Def")),
        ("2026", fullwidth("abc2026Def"), fullwidth("abc") + "***" + fullwidth("Def")),
        ("2026", "pin\u0662\u0660\u0662\u0666Code", "pin***Code"),  # Arabic-Indic digits
        ("2026", "\u3042\uff12\uff10\uff12\uff16\u3067\u3059", "\u3042***\u3067\u3059"),  # kana: an edge, as before
        ("2026", "x\uff12\uff10\uff12\uff16y", "x\uff12\uff10\uff12\uff16y"),  # one token, as 'x2026y'
        ("2026", "FY\uff12\uff10\uff12\uff16", "FY\uff12\uff10\uff12\uff16"),
        ("2026", "\uff11\uff12026", "\uff11\uff12026"),  # fullwidth digits before it: one number
        ("2026", "2026\uff10", "2026\uff10"),
        ("pin", "\uff12\uff10pinCode", "\uff12\uff10***Code"),
    ],
)
def test_edges_read_letters_and_digits_in_every_form(secret: str, text: str, expected: str) -> None:
    assert Masker([secret]).text(text) == expected


@pytest.mark.parametrize(
    ("secret", "text", "expected"),
    [
        ("Code12", "pinCode12x", "pinCode12x"),
        ("Code12", "pinCode12X", "pin***X"),
        ("Code12", "userCode12Token", "user***Token"),
        ("Code12", "pinCode12", "pin***"),
        ("ab12", "userAb12Token", "user***Token"),
        ("12ab", "x12abCode", "x12abCode"),
        ("2026", "pin2026Code", "pin***Code"),  # one run: its letter edge is a word's edge, as before
        ("pin", "2026pinCode", "2026***Code"),
    ],
)
def test_a_secret_of_letters_and_digits_is_a_word_at_camel_case_edges_only(
    secret: str, text: str, expected: str
) -> None:
    assert Masker([secret]).text(text) == expected


def test_a_tool_s_output_masks_a_fullwidth_pin_glued_to_letters() -> None:
    written = "abc\uff12\uff10\uff12\uff16Def"
    masked = mask_secrets({"message": f"id {written}", "items": [written]}, ["2026"])
    assert "\uff12\uff10\uff12\uff16" not in str(masked), masked
