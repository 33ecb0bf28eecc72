"""A short secret (under 8 characters) base64'd or hex'd alone, or with a byte or two beside it that leave it a whole
token, is masked: its run there is shorter than the 6 bytes a run had to encode to be decoded, and its encoded form
is no whole token (a run's letters and digits beside it), so base64('2026'), base64('2026!') and hex('2026!')
showed the PIN in clear. Runs are decoded so short only in a text that holds one of its forms."""

from __future__ import annotations

import base64

import pytest

from orchestra.secrets import MASK, Masker

PIN = "2026"
CODE = "Zq9-x"


def base64_of(data: bytes) -> str:
    return base64.b64encode(data).decode()


def url_safe_of(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@pytest.mark.parametrize("secret", [PIN, CODE])
@pytest.mark.parametrize("around", [(b"", b""), (b"", b"!"), (b" ", b""), (b"", b"\n"), (b"=", b"")])
@pytest.mark.parametrize("encode", [base64_of, url_safe_of, bytes.hex])
@pytest.mark.parametrize("place", ["{}", "pin {} end", "x={}&y=1", '{{"p": "{}"}}'])
def test_a_short_secrets_short_encoding_is_masked(
    secret: str, around: tuple[bytes, bytes], encode: object, place: str
) -> None:
    assert callable(encode)
    encoded = str(encode(around[0] + secret.encode() + around[1]))
    text = place.format(encoded)
    masked = Masker([secret]).text(text)
    assert MASK in masked, f"{text!r} left {secret!r} in clear"
    assert encoded not in masked


@pytest.mark.parametrize(
    "data", [b"2026zz", b"a2026", b"2026-12", b"v2026!", b"inv-2026"], ids=lambda data: data.decode()
)
def test_a_short_secret_in_a_longer_token_stays_as_it_was(data: bytes) -> None:
    for text in (base64_of(data), url_safe_of(data), data.hex()):
        assert Masker([PIN]).text(text) == text


@pytest.mark.parametrize(
    "text",
    [
        f"Basic {base64_of(b'user:' + PIN.encode())} end",
        f"Basic {base64_of(b'user:' + PIN.encode())}\nend",
        f"Basic {base64_of(b'user:' + PIN.encode())}\\nend",
        f"word {base64_of(PIN.encode() + b' ok')} x",
        f"dump {(b'pin ' + PIN.encode()).hex()} after",
    ],
)
def test_a_short_secret_encoded_beside_a_word_is_masked(text: str) -> None:
    """A space or a line's end may wrap a run (MIME, PEM), so runs are read joined across them: the word beside
    glued its bits to the secret's, and a PIN in Basic credentials followed by a word was left in clear."""
    assert MASK in Masker([PIN]).text(text), f"{text!r} left the PIN in clear"
