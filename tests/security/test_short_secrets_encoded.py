"""A short secret (under 8 characters: masked only as a whole token) is masked where it stands whole in what
an encoded run decodes to: in the encoded text itself its base64 or hex never stands whole (the run's letters
and digits on either side), and 'Basic ' + base64('user:' + a 7-character password) went to the history in
clear."""

from __future__ import annotations

import base64
import json

import pytest

from orchestra.secrets import MASK, Masker

PASSWORD = "abc1234"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.mark.parametrize(
    "text",
    [
        f"Authorization: Basic {_b64(b'user:' + PASSWORD.encode())}",
        _b64(PASSWORD.encode()),
        f"token {base64.urlsafe_b64encode(json.dumps({'pw': PASSWORD}).encode()).decode()} end",
        "dump deadbeef" + PASSWORD.encode().hex() + "cafe",
        "bytes de:ad:" + ":".join(f"{byte:02x}" for byte in PASSWORD.encode()) + ":be:ef",
        "q=" + _b64(b"user:" + PASSWORD.encode()).replace("=", "%3D") + "&x=1",
    ],
)
def test_a_short_secret_encoded_among_other_bytes_is_masked(text: str) -> None:
    masked = Masker([PASSWORD]).text(text)
    assert MASK in masked, masked
    for clear in (_b64(b"user:" + PASSWORD.encode())[-8:], PASSWORD.encode().hex()):
        assert clear not in masked, masked


@pytest.mark.parametrize("secret", ["2026", "p@ss!12"])
def test_a_short_secret_inside_a_longer_word_is_left_when_decoded_too(secret: str) -> None:
    for word in (f"1{secret}1", f"x{secret}y"):
        text = f"Basic {_b64(b'invoice ' + word.encode() + b' of 20261201')}"
        assert Masker([secret]).text(text) == text


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(f"your pin:\n{PASSWORD}"),
        json.dumps(f"pin\t{PASSWORD}", ensure_ascii=True),
        f'{{"note": "pin\\u0020{PASSWORD}"}}',
        f"printf 'pw\\x3d{PASSWORD}'",
        f"Subject: pin=0A{PASSWORD}=0Abye",
        f"pin=3D{PASSWORD}",
    ],
)
def test_a_short_secret_after_an_escaped_character_is_masked(text: str) -> None:
    masked = Masker([PASSWORD]).text(text)
    assert PASSWORD not in masked and MASK in masked, masked


@pytest.mark.parametrize("text", [f"\\u0041{PASSWORD}", f"=41{PASSWORD}", f"\\x62{PASSWORD}"])
def test_a_short_secret_after_an_escaped_letter_is_left(text: str) -> None:
    assert Masker([PASSWORD]).text(text) == text


@pytest.mark.parametrize(
    ("secret", "text"),
    [("-pin1", "id x-pin1 y"), ("#a1b2", "ticket id#a1b2"), ("pw12!", "said pw12!x"), ("!ab1", "a!ab1 b")],
)
def test_a_short_secret_that_begins_or_ends_with_no_letter_or_digit_is_masked_beside_one(
    secret: str, text: str
) -> None:
    masked = Masker([secret]).text(text)
    assert secret not in masked and MASK in masked, masked


def test_its_side_that_is_a_letter_or_digit_still_needs_an_edge() -> None:
    assert Masker(["ab1!"]).text("xab1! and 7ab1!") == "xab1! and 7ab1!"
