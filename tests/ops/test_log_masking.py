"""The log and span masker over the thousands of values a plan may choose: each found, whatever their
number, overlaps included, in one pass of a few patterns built once per change (bench/log_masking.py)."""

from __future__ import annotations

import base64
import json
import secrets
from urllib.parse import quote

import pytest

from orchestra.literal_set import LiteralSet, masked
from orchestra.telemetry import redaction
from orchestra.telemetry.redaction import MASK, redact


@pytest.fixture(autouse=True)
def _fresh_memory():
    redaction.forget_all()
    yield
    redaction.forget_all()


def test_every_value_a_plan_chose_and_every_form_of_the_workers_own_are_masked_among_thousands():
    key = "key-" + secrets.token_urlsafe(24)
    redaction.remember(key)
    chosen = [f"hv{n}-" + secrets.token_urlsafe(n % 40 + 4) for n in range(redaction.MAX_REMEMBERED)]
    for start in range(0, len(chosen), 100):  # added step by step, as a run's calls do, lines logged between
        redaction.remember(*chosen[start : start + 100], every_form=False)
        assert redact(f"sent {chosen[start]}") == f"sent {MASK}"
    text = " | ".join(chosen)
    assert redact(text) == " | ".join([MASK] * len(chosen))
    forms = [key, quote(key, safe=""), base64.b64encode(key.encode()).decode(), key.encode().hex(), json.dumps(key)]
    for form in forms:
        masked = redact(f"the server said {form}.")
        assert key not in masked and form not in masked, (form, masked)


def test_values_that_overlap_are_masked_whole_not_one_hiding_the_start_of_the_other():
    """Masked one after the other, the one found first left the other's end in clear."""
    redaction.remember("tail-of-A-secretBBBBBB", "A-secret-head-xx-tail-of-A", every_form=False)
    assert redact("A-secret-head-xx-tail-of-A-secretBBBBBB end") == f"{MASK} end"
    redaction.remember("worker-key-12345678")
    redaction.remember("xx-worker-key", every_form=False)
    assert redact("[xx-worker-key-12345678]") == f"[{MASK}]"


def test_a_value_forgotten_stops_weighing_on_the_masker_once_most_are_forgotten():
    redaction.remember(*(f"first-{n:05}" for n in range(redaction.MAX_REMEMBERED)), every_form=False)
    redaction.remember(*(f"second-{n:05}" for n in range(redaction.MAX_REMEMBERED)), every_form=False)
    assert redact("second-00000 second-02047") == f"{MASK} {MASK}"
    assert len(redaction._plan_values) <= 2 * redaction.MAX_REMEMBERED + 64  # the first ones rebuilt away


def longest_from(spans: list[tuple[int, int]], start: int) -> int:
    return max(end for begin, end in spans if begin == start)


def test_values_each_the_one_before_and_a_character_more_compile_and_the_longest_is_found():
    """Each such value a choice nested in the last: past 64, a branch is a pattern of its own (a plain
    alternation there tried every value at every place: 3.4 s for 1,000 characters with 2,048 values)."""
    values = ["a" * n + "!" for n in range(6, 400)] + ["a" * n for n in range(6, 400)]
    found = LiteralSet(values)
    text = "x" + "a" * 250 + "!y"
    assert longest_from(found.spans(text), 1) == 252 and found.spans("a" * 6) == [(0, 6)]
    assert longest_from(found.spans("a" * 399 + "!"), 0) == 400
    assert masked(text, found.spans(text), "*") == "x*y"
    assert LiteralSet(["abcdef", "abcdefgh", "abcxyz"]).spans("abcdefgh abcxyz") == [(0, 8), (9, 15)]
