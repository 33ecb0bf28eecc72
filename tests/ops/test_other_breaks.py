"""A value's encoding broken otherwise than by LF or CRLF: CR alone, a space, a tab, a JSON-escaped CR, a
quoted-printable soft break (``=`` at a line's end); hex pairs apart by a comma, a semicolon, a dot, a tab,
or ``0x`` before each; and a value's own characters wrapped by soft breaks (a mail body). Each of these
left a plan's value, or the worker's secret, in clear in the logs (and the secret in the history)."""

from __future__ import annotations

import base64
import random
import textwrap

import pytest

from orchestra.encoded_spans import encoded_spans
from orchestra.literal_set import LiteralSet
from orchestra.secrets import mask_secrets
from orchestra.telemetry import redaction
from orchestra.telemetry.redaction import MASK, redact_text

VALUE = "Zq9xW2mK7pLr4TbN8vYc"
KEY = "k148-" + VALUE[::-1]
BREAKS = ["\r", " ", "\t", "=\n", "=\r\n", "\\r", "=\\n"]
BREAK_IDS = ["CR", "space", "tab", "soft LF", "soft CRLF", "JSON CR", "JSON soft LF"]


@pytest.fixture(autouse=True)
def _remembered():
    redaction.forget_all()
    redaction.remember({"X-Key": VALUE}, every_form=False)
    redaction.remember(KEY)
    yield
    redaction.forget_all()


def _wrapped(value: str, width: int, breaks: str, before: int) -> str:
    encoded = base64.b64encode(("p" * before + value + "-after" * 20).encode()).decode()
    return breaks.join(textwrap.wrap(encoded, width))


def _decodes_to_none_of(value: str, masked: str, breaks: str) -> None:
    for part in masked.split(MASK):
        unbroken = part.replace(breaks, "").rstrip("=")
        for skip in range(4):
            chunk = unbroken[skip:][: (len(unbroken) - skip) // 4 * 4]
            assert value[:6].encode() not in base64.b64decode(chunk), (part, skip)


@pytest.mark.parametrize("breaks", BREAKS, ids=BREAK_IDS)
@pytest.mark.parametrize("width", [76, 64])
@pytest.mark.parametrize("before", [42, 45, 46, 47])  # the value's encoding across a line's end
def test_a_plans_value_in_base64_broken_otherwise_is_masked(width, breaks, before):
    masked = redact_text(_wrapped(VALUE, width, breaks, before))
    assert MASK in masked
    _decodes_to_none_of(VALUE, masked, breaks)


@pytest.mark.parametrize("breaks", BREAKS, ids=BREAK_IDS)
@pytest.mark.parametrize("before", [42, 45, 46, 47])
def test_the_workers_secret_in_base64_broken_otherwise_is_masked_in_logs_and_the_history(breaks, before):
    text = _wrapped(KEY, 76, breaks, before)
    masked = redact_text(text)
    assert MASK in masked
    _decodes_to_none_of(KEY, masked, breaks)
    assert "***" in mask_secrets(text, [KEY])


def _pairs(value: str, separator: str, prefix: str = "") -> str:
    return separator.join(f"{prefix}{byte:02x}" for byte in value.encode())


@pytest.mark.parametrize(
    "separator, prefix",
    [(",", ""), (", ", ""), (";", ""), (".", ""), ("\t", ""), (", ", "0x"), (",", "0X"), ("\r", "")],
    ids=["comma", "comma space", "semicolon", "dot", "tab", "C array", "0X commas", "CR"],
)
def test_a_value_in_hex_pairs_apart_otherwise_is_masked(separator, prefix):
    for value, logged in ((VALUE, redact_text), (KEY, redact_text), (KEY, lambda t: mask_secrets(t, [KEY]))):
        masked = logged(f"dump [{_pairs(value, separator, prefix)}] end")
        assert masked.startswith("dump [") and masked.endswith("] end")
        # Of the value's pairs no two are left together, a ``0x`` before the first at most.
        left = masked.removeprefix("dump [").removesuffix("] end").replace(prefix, "")
        assert left.strip(separator) in (MASK, "***"), (value, masked)


@pytest.mark.parametrize("hexed", [str.lower, str.upper])
def test_a_value_in_hex_wrapped_at_cr_or_in_groups_of_four_is_masked(hexed):
    data = hexed("00" * 10 + VALUE.encode().hex() + "11" * 30)
    for text in ("\r".join(textwrap.wrap(data, 32)), " ".join(textwrap.wrap(data, 4))):
        masked = redact_text(text)
        assert MASK in masked
        assert all(VALUE.encode().hex()[:12] not in part.replace(" ", "").replace("\r", "").lower()
                   for part in masked.split(MASK))  # fmt: skip


@pytest.mark.parametrize("soft", ["=\n", "=\r\n", "=\\n"], ids=["LF", "CRLF", "JSON LF"])
@pytest.mark.parametrize("at", [1, 7, 19])
def test_a_value_wrapped_by_quoted_printable_soft_breaks_is_masked_in_logs_and_the_history(soft, at):
    """A mail body, or any text quoted-printable wraps at 76: the value's characters a soft break apart."""
    for value in (VALUE, KEY):
        text = f"body: {value[:at]}{soft}{value[at:]} end"
        assert redact_text(text) == f"body: {MASK} end"
    text = f"body: {KEY[:at]}{soft}{KEY[at:]} end"
    assert mask_secrets(text, [KEY]) == "body: *** end"


@pytest.mark.parametrize("seed", range(200))
def test_a_broken_runs_spans_cover_every_character_of_a_value_from_any_offset(seed):
    """Against brute force, with breaks of every length at any column: a run decoded from its second,
    third or fourth character mapped its bytes back as if no break were before them, short by a break's
    length, the value's last characters in clear."""
    rng = random.Random(seed)
    value = bytes(rng.choice(b"ab\x00\xff") for _ in range(rng.randint(6, 9)))
    before = bytes(rng.choice(b"ab\x00\xff") for _ in range(rng.randint(0, 12)))
    data = before + value + bytes(rng.choice(b"ab\x00") for _ in range(rng.randint(0, 12)))
    first, last = len(before), len(before) + len(value)
    width, breaks = rng.randint(1, 9), rng.choice(["\n", "\r\n", "\\r\\n", "\r", " ", "=\n"])
    lead = "x" * rng.randint(0, 3)  # a word's letters the run begins with, no part of the encoding
    encoded = lead + base64.b64encode(data).decode()
    place = [at + at // width * len(breaks) for at in range(len(encoded))]
    text = breaks.join(textwrap.wrap(encoded, width))
    begin, end = place[len(lead) + first * 8 // 6], place[len(lead) + (last * 8 - 1) // 6] + 1
    spans = encoded_spans(text, LiteralSet([value.decode("latin-1")]).spans)
    assert any(b <= begin and end <= e for b, e in spans), (value, text, begin, end, spans)
