"""A plan's value in the forms a server or a tool writes it that the decoders missed: base64 wrapped in
lines (MIME at 76, openssl at 64, a JSON string's escaped line breaks), percent-encoded twice or in part,
hex pairs a separator apart; and a JWT longer than a quote reads past its cut."""

from __future__ import annotations

import base64
import json
import random
import textwrap

import pytest

from orchestra.encoded_spans import encoded_spans
from orchestra.literal_set import LiteralSet
from orchestra.secrets import mask_secrets
from orchestra.telemetry import redaction
from orchestra.telemetry.redaction import MASK, quoted_start, redact_text

VALUE = "Zq9xW2mK7pLr4TbN8vYc"


@pytest.fixture(autouse=True)
def _remembered():
    redaction.forget_all()
    redaction.remember({"X-Key": VALUE}, every_form=False)
    yield
    redaction.forget_all()


def _wrapped(width: int, breaks: str, before: int) -> str:
    encoded = base64.b64encode(("p" * before + VALUE + "-after" * 20).encode()).decode()
    return breaks.join(textwrap.wrap(encoded, width))


@pytest.mark.parametrize("breaks", ["\n", "\r\n", "\\n", "\\r\\n"], ids=["LF", "CRLF", "JSON LF", "JSON CRLF"])
@pytest.mark.parametrize("width", [76, 64])
@pytest.mark.parametrize("before", range(40, 52))  # the value's encoding across a line's end, at each offset
def test_a_plans_value_in_base64_wrapped_in_lines_is_masked(width, breaks, before):
    text = _wrapped(width, breaks, before)
    masked = redact_text(text)
    assert MASK in masked
    # What is left around the mask decodes, at any offset, to nothing of the value's.
    for part in masked.split(MASK):
        unbroken = part.replace(breaks, "").rstrip("=")
        for skip in range(4):
            chunk = unbroken[skip:][: (len(unbroken) - skip) // 4 * 4]
            assert VALUE[:6].encode() not in base64.b64decode(chunk)


def _hex_pairs(separator: str, upper: bool) -> str:
    pairs = [f"{byte:02X}" if upper else f"{byte:02x}" for byte in VALUE.encode()]
    return separator.join(pairs)


@pytest.mark.parametrize(
    "form",
    [
        "".join(f"%25{byte:02X}" for byte in VALUE.encode()),  # every byte, twice
        "".join(f"%25{byte:02x}" for byte in VALUE.encode()),
        VALUE[:3] + "%2578" + VALUE[4:],  # one character, twice
        VALUE[:3] + "%78" + VALUE[4:7] + "%4b" + VALUE[8:],  # some characters, once
        _hex_pairs(":", upper=True),
        _hex_pairs(" ", upper=False),
        _hex_pairs("-", upper=True),
        _hex_pairs("\n", upper=False),
        VALUE.encode().hex().upper(),
    ],
    ids=["twice", "twice, lower", "one twice", "some", "hex colons", "hex spaces", "hex hyphens", "hex lines", "HEX"],
)
def test_a_plans_value_percent_encoded_twice_or_in_part_or_in_hex_pairs_is_masked(form):
    assert redact_text(f"GET /?q={form}&z=2 failed") == f"GET /?q={MASK}&z=2 failed"


@pytest.mark.parametrize("seed", range(100))
def test_wrapped_and_percent_decoded_spans_cover_every_character_of_a_value(seed):
    """Against brute force: a value in a text percent-encoded (once or twice, in part), in base64 wrapped
    in lines, or in a hex dump is covered whole, from the first character holding a bit of it to the last."""
    rng = random.Random(seed)
    value = bytes(rng.choice(b"ab%\x00\xff") for _ in range(rng.randint(6, 9)))
    before = bytes(rng.choice(b"ab%\x00\xff") for _ in range(rng.randint(0, 12)))
    data = before + value + bytes(rng.choice(b"ab\x00") for _ in range(rng.randint(0, 12)))
    first, last = len(before), len(before) + len(value)  # the value's bytes
    # As an encoder writes it: some bytes left as they are, the others escaped in either case, all once or
    # all twice (mixed, ``%25`` then ``aa`` reads as ``%AA`` escaped twice).
    escape = rng.choice(["%", "%25"])
    pieces = [
        rng.choice([chr(byte) if 32 < byte < 127 and byte != 37 else f"{escape}{byte:02X}", f"{escape}{byte:02x}"])
        for byte in data
    ]
    ends = [sum(map(len, pieces[: at + 1])) for at in range(len(pieces))]
    wanted = [("".join(pieces), ends[first - 1] if first else 0, ends[last - 1])]
    # Base64 wrapped every ``width`` characters: the value's bits are in characters first*8//6 to (last*8-1)//6.
    width, breaks = rng.randint(4, 20), rng.choice(["\n", "\r\n"])
    encoded = base64.b64encode(data).decode()
    place = [at + at // width * len(breaks) for at in range(len(encoded))]
    wanted.append((breaks.join(textwrap.wrap(encoded, width)), place[first * 8 // 6], place[(last * 8 - 1) // 6] + 1))
    separator = rng.choice([" ", ":", "\n"])
    wanted.append((separator.join(f"{byte:02x}" for byte in data), 3 * first, 3 * last - 1))
    for text, begin, end in wanted:
        spans = encoded_spans(text, LiteralSet([value.decode("latin-1")]).spans)
        assert any(b <= begin and end <= e for b, e in spans), (value, text, begin, end, spans)


def _jwt(header_pad: int, claims_pad: int) -> str:
    def part(value: dict[str, str]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return part({"alg": "HS256", "kid": "k" * header_pad}) + "." + part({"sub": "a", "pad": "x" * claims_pad}) + ".c2ln"


@pytest.mark.parametrize("header_pad, claims_pad", [(0, 20_000), (20_000, 0), (0, 0)])
def test_a_jwt_longer_than_a_quote_reads_past_its_cut_is_masked_as_masking_it_whole_would(header_pad, claims_pad):
    redaction.forget_all()
    text = "e" * 480 + " " + _jwt(header_pad, claims_pad) + " tail" * 100_000
    assert quoted_start(text, 500) == redact_text(text)[:500] == "e" * 480 + " " + MASK + " tail" + " tail"[:4]


@pytest.mark.parametrize("breaks", ["\n", "\\n", "\\r\\n"], ids=["LF", "JSON LF", "JSON CRLF"])
def test_a_workers_secret_in_base64_wrapped_in_a_json_texts_lines_is_masked_in_logs_and_the_history(breaks):
    """A JSON body's base64 wrapped in lines (a PEM, a MIME part) writes its breaks escaped: ``\\n``."""
    key = "k145-" + VALUE
    redaction.remember(key)
    encoded = base64.b64encode(("p" * 44 + key + "-after" * 20).encode()).decode()
    text = breaks.join(textwrap.wrap(encoded, 76))
    assert MASK in redact_text(text)
    assert "***" in mask_secrets(text, [key])


@pytest.mark.parametrize("before", ["", "x", "xy"])
@pytest.mark.parametrize("case", [str.upper, str.lower])
def test_a_plans_value_in_base64_percent_encoded_in_a_url_is_masked(before, case):
    """A server's redirect quoting a state it was given: the base64's ``+``, ``/`` and ``=`` escaped."""
    value = "state-" + VALUE + "~?>"  # its base64 holds a '/'
    redaction.forget_all()
    redaction.remember({"X-State": value}, every_form=False)
    encoded = base64.b64encode((before + value).encode()).decode()
    escaped = "".join(case(f"%{ord(char):02x}") if char in "+/=" else char for char in encoded)
    masked = redact_text(f"GET /cb?state={escaped}&z=1")
    assert MASK in masked and masked.endswith("&z=1")
    kept = masked.removeprefix("GET /cb?state=").split(MASK)
    assert len(kept[0]) <= 3 and "%2" not in kept[0], masked
