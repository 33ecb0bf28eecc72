"""A short secret (under 8 characters) in base64 or hex of UTF-16, either byte order, is masked where it is a
whole token of the UTF-16 text (PowerShell's ``-EncodedCommand``, a Java tool's bytes): the decoded run was read
for its UTF-8 only, and 'hunt2!x' stood in clear as ``AGgAdQBuAHQAMgAhAHg=``."""

from __future__ import annotations

import base64

import pytest

from orchestra.secrets import Masker

_ORDERS = ["utf-16-le", "utf-16-be"]


@pytest.fixture(scope="module")
def masker() -> Masker:
    return Masker(["hunt2!x", "pin7", "2026"])


def _encodings(plain: str, order: str) -> list[str]:
    data = plain.encode(order)
    return [base64.b64encode(data).decode(), base64.urlsafe_b64encode(data).decode().rstrip("="), data.hex()]


@pytest.mark.parametrize("order", _ORDERS)
@pytest.mark.parametrize(
    ("plain", "secret"),
    [
        ("hunt2!x", "hunt2!x"),
        ("user:hunt2!x", "hunt2!x"),
        ('{"pin": "2026", "k": "pin7"}', "2026"),
        ('{"pin": "2026", "k": "pin7"}', "pin7"),
        ("the code 2026.", "2026"),
    ],
)
def test_a_short_secret_in_encoded_utf16_is_masked(masker: Masker, order: str, plain: str, secret: str) -> None:
    for encoded in _encodings(plain, order):
        masked = masker.text(f"got {encoded} end")
        decodable = [chunk for chunk in masked.split("***") if len(chunk) > 3]
        assert masked != f"got {encoded} end", (plain, encoded)
        for encoding in {secret.encode(order).hex(), base64.b64encode(secret.encode(order)).decode()[:8]}:
            assert encoding not in masked, (plain, encoded, masked, decodable)


@pytest.mark.parametrize("order", _ORDERS)
@pytest.mark.parametrize("plain", ["xhunt2!xy", "pin7pin7", "x2026y"])
def test_a_short_secret_inside_a_longer_word_of_utf16_is_left(masker: Masker, order: str, plain: str) -> None:
    """As in a text: a short secret inside a longer word is no secret shown (a PIN's digits in a longer number)."""
    for encoded in _encodings(plain, order):
        assert masker.text(f"got {encoded} end") == f"got {encoded} end"
