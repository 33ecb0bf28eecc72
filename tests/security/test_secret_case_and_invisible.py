"""One rule of letter case for secrets of every length: a secret of under 4 characters was matched as written only
('abc' left 'ABC' in clear), though its other cases are as much the secret as a longer one's (a tool upper-casing
what it quotes). A character that shows as nothing inside a secret (zero-width space, joiners, BOM, soft hyphen;
as it is or JSON-escaped) let it be shown: 'hun\\u200bter2' reads 'hunter2'. And a short secret's digits between
a letter and a camelCase word stay masked ('FY2026Q1' reads FY, 2026, Q1 as 'pin2026Code' reads pin, 2026, Code),
while one glued to small letters or ending a word ('fy2026q1', 'FY2026') is part of that word."""

from __future__ import annotations

import re

import pytest

from orchestra.secrets import MASK, Masker

INVISIBLE = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\\u200b",
    "\\\\u00AD",
    "\u200b" * 2,
    "\u00ad" * 9,
]


@pytest.mark.parametrize("secret", ["abc", "aB", "x9z", "ab1c", "Kx9#q2", "s3cr3t-value"])
def test_a_secret_of_any_length_is_masked_in_any_letter_case(secret: str) -> None:
    masker = Masker([secret])
    for shown in (secret.upper(), secret.lower(), secret.swapcase()):
        assert masker.text(f"a {shown} b") == f"a {MASK} b", shown


def test_a_short_secret_whose_capitals_are_longer_is_masked_in_them() -> None:
    assert Masker(["ßa"]).text("x SSA, ssa, ßA y") == f"x {MASK}, {MASK}, {MASK} y"


@pytest.mark.parametrize("secret", ["abc", "2026", "Kx9#q2", "hunter2", "s3cr3t-value"])
@pytest.mark.parametrize("invisible", INVISIBLE)
def test_a_secret_with_a_character_that_shows_as_nothing_inside_is_masked(secret: str, invisible: str) -> None:
    for at in range(1, len(secret)):
        spliced = secret[:at] + invisible + secret[at:]
        assert MASK in Masker([secret]).text(f"a {spliced} b") and secret[at:] not in Masker([secret]).text(
            f"a {spliced} b"
        ), spliced


def test_a_short_secret_in_an_identifier_is_masked_only_as_a_camel_case_word() -> None:
    masker = Masker(["2026"])
    assert masker.text("FY2026Q1 pin2026Code") == f"FY{MASK}Q1 pin{MASK}Code"
    assert masker.text("fy2026q1 FY2026 x2026y") == "fy2026q1 FY2026 x2026y"


def test_many_short_secrets_are_one_pattern_built_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """50 PINs were 50 patterns, each with its token edges tried at every character of every text: seconds to
    build and seconds per 120 KB (bench/log_masking.py --short-secrets). They are one pattern now."""
    compiled: list[str] = []
    real = re.compile

    def counted(pattern: str, flags: int = 0) -> re.Pattern[str]:
        compiled.append(pattern)
        return real(pattern, flags)

    pins = [f"{n:04d}" for n in range(1000, 1050)]
    monkeypatch.setattr(re, "compile", counted)
    masker = Masker(pins)
    # Theirs (spelt, and encoded: two kinds of token edge), and their encodings' (decoded) look-up and match.
    assert len(compiled) <= 4, len(compiled)
    assert masker.text("pin 1000, 1049 and FY1020Q1; 10001") == f"pin {MASK}, {MASK} and FY{MASK}Q1; 10001"


def test_short_secrets_found_at_one_place_are_each_masked_whole() -> None:
    """Of one pattern of many secrets, a match of one must not hide another's beginning inside it."""
    masker = Masker(["#ab#", "#cd!"])
    assert masker.text("x #ab#cd! y") == f"x {MASK} y"
