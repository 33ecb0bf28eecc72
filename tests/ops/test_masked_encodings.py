"""A plan's values in the log and span masker, base64'd and hex'd as a server or a tool may echo them, and
the floor below which a value is not remembered."""

from __future__ import annotations

import base64
import json
import random
import re
from urllib.parse import quote, quote_plus

import pytest

from orchestra.encoded_spans import encoded_spans
from orchestra.literal_set import LiteralSet
from orchestra.telemetry import redaction
from orchestra.telemetry.redaction import MASK, redact

PLAN_VALUE = "plan-chosen-s3cret"


@pytest.fixture(autouse=True)
def _fresh_memory():
    redaction.forget_all()
    yield
    redaction.forget_all()


def _encodings(data: bytes) -> list[str]:
    """``data`` after 0, 1 and 2 bytes of something else, base64 in both alphabets, padded or not; hex in
    both cases."""
    forms = []
    for before in (b"", b"u", b"us"):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            encoded = encode(before + data).decode()
            forms += [encoded, encoded.rstrip("=")]
    return [*forms, data.hex(), data.hex().upper()]


@pytest.mark.parametrize("form", _encodings(PLAN_VALUE.encode()))
def test_a_plans_value_base64_or_hex_at_any_offset_is_masked(form: str) -> None:
    redaction.remember({"X-Key": PLAN_VALUE}, every_form=False)
    masked = redact(f"server said: {form}.")
    assert MASK in masked
    # What is left of the run around the mask is at most the partial characters at each side.
    assert len(masked) - len("server said: .") - len(MASK) <= 4


def test_basic_credentials_around_a_plans_password_and_those_a_plan_wrote_decoded_are_masked() -> None:
    redaction.remember({"X-Password": PLAN_VALUE}, every_form=False)
    basic = base64.b64encode(f"alice:{PLAN_VALUE}".encode()).decode()
    assert PLAN_VALUE not in redact(f"Proxy got Authorisation {basic}") and MASK in redact(f"got {basic}")
    written = base64.b64encode(b"bob:correct-horse").decode()
    redaction.remember({"Authorization": f"Basic {written}"}, every_form=False)
    assert redact("401 for bob:correct-horse") == f"401 for {MASK}"
    assert redact("wrong password correct-horse") == f"wrong password {MASK}"


def test_a_plans_value_inside_a_jwts_claims_and_a_jwts_claims_a_plan_wrote_are_masked() -> None:
    redaction.remember({"X-Key": PLAN_VALUE}, every_form=False)
    claims = base64.urlsafe_b64encode(json.dumps({"sub": "a", "key": PLAN_VALUE}).encode()).decode().rstrip("=")
    # Masked by the value's bits in the claims, and by the JWT's shape (its claims begun: a quote's cut in a
    # long one reads no further): nothing of the claims is left in clear.
    masked = redact(f"eyJhbGciOiJub25lIn0.{claims}.sig")
    assert MASK in masked and claims[:8] not in masked and len(masked) < len(claims)
    token_claims = json.dumps({"sub": "carol", "scope": "admin"})
    encoded = base64.urlsafe_b64encode(token_claims.encode()).decode().rstrip("=")
    redaction.remember({"Authorization": f"Bearer eyJhbGciOiJub25lIn0.{encoded}.c2ln"}, every_form=False)
    assert redact(f"claims {token_claims}") == f"claims {MASK}"


def test_a_plans_value_outside_ascii_is_masked_base64d() -> None:
    value = "clé-secrète-€"
    redaction.remember({"X-Key": value}, every_form=False)
    assert MASK in redact(base64.b64encode(value.encode()).decode())


@pytest.mark.parametrize("seed", range(200))
def test_encoded_spans_match_brute_force(seed: int) -> None:
    """Each value found in any base64 or hex of the text at any place covers, in the text, every
    character that holds one of its bits; no character found holds none of a found value's."""
    rng = random.Random(seed)
    values = {bytes(rng.choice(b"ab\x00\xff") for _ in range(rng.randint(6, 8))).decode("latin-1") for _ in range(3)}
    found = LiteralSet(values)
    data = bytes(rng.choice(b"ab\x00\xff") for _ in range(rng.randint(0, 24)))
    prefix = rng.choice(["", "x", "xy", "xyz"])
    encoded = rng.choice([base64.b64encode, base64.urlsafe_b64encode])(data).decode().rstrip("=")
    for text, start, bits in [(prefix + encoded, len(prefix), 6), (prefix + data.hex(), len(prefix), 4)]:
        covered = {i for begin, end in encoded_spans(text, found.spans) for i in range(begin, end)}
        decoded = data.decode("latin-1")
        wanted = set()
        for value in values:
            for at in range(len(decoded) - len(value) + 1):
                if decoded.startswith(value, at):
                    first, last = at * 8 // bits, ((at + len(value)) * 8 - 1) // bits
                    wanted |= set(range(start + first, start + last + 1))
        assert wanted <= covered, (values, text)


def test_a_pin_the_worker_resolved_is_masked_and_a_plans_short_header_is_not() -> None:
    redaction.remember("4821")
    redaction.remember({"Accept-Encoding": "gzip"}, every_form=False)
    redaction.remember("abc")
    assert redact("pin 4821 sent gzip to abc") == f"pin {MASK} sent gzip to abc"


def _percent_forms(value: str) -> list[str]:
    """As encoders write it: Python's quote (``/`` kept or not) and quote_plus, JavaScript's
    encodeURIComponent (``!*'()`` kept), lower-case hex (as some clients write it), every byte escaped."""
    plain = quote(value, safe="")
    return [
        plain,
        quote(value),
        quote_plus(value),
        quote(value, safe="!*'()"),
        re.sub("%[0-9A-F]{2}", lambda m: m.group().lower(), plain),
        "".join(f"%{byte:02x}" for byte in value.encode()),
    ]


@pytest.mark.parametrize("form", _percent_forms("p!ss w*rd/é~(x)"))
def test_a_plans_value_percent_encoded_by_any_encoder_is_masked_in_a_query(form: str) -> None:
    redaction.remember({"X-Key": "p!ss w*rd/é~(x)"}, every_form=False)
    assert redact(f"GET /?a=1&q={form}&z=2 failed") == f"GET /?a=1&q={MASK}&z=2 failed"
