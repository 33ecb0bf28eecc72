"""Short secrets (``SHORT_SECRET``) of different kinds of token edge were one expression, a kind's secrets in turn:
at one place a shorter secret of a kind tried first ('pin', a word of letters, ends where 'Co1' begins a camelCase
word) was the match, and the longer one there ('pinCo1') never tried, its end shown: 'x ***Co1 y'. And a secret of
letters or digits alone was its pattern three times over (whole, or a camelCase word on either side)."""

from __future__ import annotations

import pytest

from orchestra.secrets import MASK, Masker, _token_parts, short_secrets_patterns


@pytest.mark.parametrize(
    ("secrets", "shown"),
    [
        (["abcdefg", "pin", "pinCo1"], "x pinCo1 y"),
        (["1234567", "12", "12Ab"], "x 12Ab y"),
        (["abcdefg", "pin", "pinCo1"], "x PINCO1, pinCo1Id y"),
        (["wxyz", "ab", "abCd-"], "x abCd- y"),
    ],
)
def test_a_longer_short_secret_at_a_shorter_one_s_place_is_masked_whole(secrets: list[str], shown: str) -> None:
    masked = Masker(secrets).text(shown)
    assert masked.startswith("x ") and masked.endswith(" y")
    for secret in secrets:
        assert secret.lower() not in masked.lower(), masked
    assert "Co1" not in masked and "Ab" not in masked and "Cd" not in masked, masked


@pytest.mark.parametrize("secret", ["2026", "abcd", "Kx"])
def test_a_secret_of_letters_or_digits_alone_is_its_pattern_once(secret: str) -> None:
    spelt = _token_parts(secret)[0][0]
    assert sum(pattern.count(spelt) for pattern in short_secrets_patterns([secret])) == 1
    masker = Masker([secret])
    assert masker.text(f"a {secret} b") == f"a {MASK} b"
