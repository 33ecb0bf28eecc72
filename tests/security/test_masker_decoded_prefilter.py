"""Short secrets looked for in a text's decoded base64 and hex runs only where RE2 finds one may begin
(``secrets._match_spans``).

Tried at every character of the decoded runs by Python's ``re``, a megabyte of random base64 (a tool printing a
binary blob, or doing so on purpose) cost 7-13 s with 50-200 short secrets, holding the GIL. The prefilter must lose
nothing: random base64 holding the secrets in every encoded form is masked as the patterns alone mask it."""

from __future__ import annotations

import base64
import random
import string

import pytest

from orchestra.secrets import MASK, Masker
from tests.security.test_masker_prefilter import _Counting, _Reference

_ALPHABET = string.ascii_letters + string.digits


def _short_secrets(rng: random.Random, count: int) -> list[str]:
    found = ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(4, 7))) for _ in range(count)]
    return [*found, rng.choice(["2026", "pïn7", "ab-12", "#a1b2", "pw12!"])]


def _encoded(secret: str, rng: random.Random) -> str:
    """``secret`` in one of the forms the masker decodes, with random bytes around it or not."""
    data = secret.encode()
    before, after = rng.randbytes(rng.randint(0, 5)), rng.randbytes(rng.randint(0, 5))
    around = rng.choice([data, b"user:" + data, b'{"pin":"' + data + b'"}', before + data + after])
    forms = [
        base64.b64encode(around).decode(),
        base64.urlsafe_b64encode(around).decode().rstrip("="),
        around.hex(),
        around.hex().upper(),
        around.hex(":"),
        " ".join(f"0x{byte:02x}," for byte in around),
        "Basic " + base64.b64encode(b"user:" + data).decode(),
    ]
    return rng.choice(forms)


def _random_base64(rng: random.Random, size: int, secrets: list[str]) -> str:
    pieces: list[str] = []
    while sum(map(len, pieces)) < size:
        if rng.random() < 0.3:
            pieces.append(_encoded(rng.choice(secrets), rng))
        else:
            pieces.append(base64.b64encode(rng.randbytes(rng.randint(3, 60))).decode())
    glue = rng.choice(["", " ", "\n", "\\n", "\r\n"])
    return glue.join(pieces)


@pytest.mark.parametrize("seed", range(16))
def test_decoded_runs_are_masked_as_the_patterns_alone_mask_them(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    secrets = _short_secrets(rng, 8)
    masker, reference = Masker(secrets), _Reference(secrets, monkeypatch)
    for size in (60, 600, 6000):
        text = _random_base64(rng, size, secrets)
        assert masker.text(text) == reference.text(text), (secrets, text)
        assert masker.text(text[1:]) == reference.text(text[1:]), (secrets, text[1:])


def test_decoded_runs_are_tried_only_where_a_secret_may_begin() -> None:
    rng = random.Random(255)
    secrets = ["".join(rng.choice(_ALPHABET) for _ in range(4 + n % 4)) for n in range(50)]
    pin = base64.b64encode(b"user:" + secrets[0].encode()).decode()
    text = base64.b64encode(rng.randbytes(48_000)).decode() + f" Basic {pin} end"
    masker = Masker(secrets)
    assert masker._short_decoded is not None
    counting = [_Counting(pattern) for pattern in masker._short_decoded[1]]
    state = list(masker._short_decoded)
    state[1] = tuple(counting)
    masker._short_decoded = tuple(state)  # type: ignore[assignment]
    masked = masker.text(text)
    assert masked.endswith(f"{MASK} end") and pin not in masked
    tried = sum(one.tried for one in counting)
    # Before: each pattern tried at every character of the decoded runs (their 4 offsets: about 150,000).
    assert tried < 1000, tried
