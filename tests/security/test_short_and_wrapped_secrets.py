"""A short secret (a PIN) is masked only as a whole token, not inside every year, date and id; a secret in its
longest form wrapped by quoted-printable soft breaks is still within the masker's known reach, so one cut
between two texts of a list is masked in both."""

from __future__ import annotations

import pytest

from orchestra.secrets import MASK, QP_LINE_SHORTEST, Masker, longest_form

PIN = "2026"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in 2026 we", "in *** we"),
        ("pin=2026&next=1", "pin=***&next=1"),
        ("invoice 120261 of 20261201", "invoice 120261 of 20261201"),
        ("id x2026y", "id x2026y"),
        ('{"pin": "2026"}', '{"pin": "***"}'),
    ],
)
def test_a_short_secret_is_masked_only_as_a_whole_token(text: str, expected: str) -> None:
    assert Masker([PIN]).text(text) == expected


@pytest.mark.parametrize("secret", ["4821", "ab1", "Kx9#q2"])
def test_short_secrets_inside_longer_words_are_left(secret: str) -> None:
    masker = Masker([secret])
    assert masker.text(f"a {secret} b") == f"a {MASK} b"
    assert masker.text(f"a 7{secret}7 b") == f"a 7{secret}7 b", "masked inside every longer word, before"


def test_a_long_secret_is_still_masked_inside_a_word() -> None:
    assert Masker(["s3cr3t-value"]).text("xs3cr3t-valuex") == f"x{MASK}x"


def test_a_secret_wrapped_by_soft_breaks_across_two_texts_is_masked_in_both() -> None:
    secret = "s3cr3t-value-xyz"
    # Its bytes as a C array one a line, indented (its longest form), wrapped as quoted-printable every 64.
    numbers = ",\r\n".join(f"0x{byte:02x}" for byte in secret.encode()).replace("\n", "\n" + " " * 16)
    wrapped = "=\\r\\n".join(numbers[at : at + QP_LINE_SHORTEST] for at in range(0, len(numbers), QP_LINE_SHORTEST))
    cut = len(wrapped) - 2  # all but its end in the first text: more of it there than the reach said before
    texts = ["head " * 400 + wrapped[:cut], wrapped[cut:] + " tail" * 400]
    first, second = Masker([secret]).value(texts)
    assert first.endswith(MASK) and second.startswith(MASK), (first[-60:], second[:60])
    assert "0x73" not in first, "the start of it left in clear"
    assert len(wrapped) <= longest_form([secret]), "longer than the masker's reach"
