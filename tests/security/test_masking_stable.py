"""A masked text shows no secret, whatever sits beside it: masking it again changes nothing.

A mask is an edge: masked in one pass, a long secret's mask beside a short one made that one a word of its own
(``pin7hunter2hunter2`` became ``pin7***``), and a secret that holds the mask was read only between masks, so
never whole. Random texts built from several secrets' parts (adjacent, overlapping, nested) check the rule."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from orchestra.literal_set import masked_until_stable
from orchestra.secrets import Masker
from orchestra.telemetry import redaction

_SECRETS = ["hunter2hunter2", "pin7", "2026", "ab12cd", "Zq9Zq9Zq9Zq9"]
_BITS = ["-", "_", ".", " ", "a", "Z", "1", "*", "***", "x", "\n", "=", "%2D"]


def _random_text(rng: random.Random, secrets: list[str]) -> str:
    parts: list[str] = []
    for _ in range(rng.randint(1, 12)):
        secret = rng.choice(secrets)
        cut = rng.randint(1, len(secret))
        parts.append(rng.choice([secret, secret, secret[:cut], secret[cut:], rng.choice(_BITS)]))
    return "".join(parts)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.fixture(scope="module")
def masker() -> Masker:
    return Masker(_SECRETS)


def test_a_short_secret_beside_a_long_one_is_masked(masker: Masker) -> None:
    assert Masker(["hunter2hunter2", "pin7"]).text("pin7hunter2hunter2") == "******"
    assert "pin7" not in masker.text("see pin7hunter2hunter2 and hunter2hunter2-2026")
    assert "2026" not in masker.text("see pin7hunter2hunter2 and hunter2hunter2-2026")


def test_a_short_secret_beside_a_long_one_in_a_value_is_masked(masker: Masker) -> None:
    value = masker.value({"out": "pin7hunter2hunter2", "rows": ["x pin7hunter2", "hunter2 and"]})
    assert "pin7" not in str(value), value


def test_a_secret_holding_the_mask_is_masked() -> None:
    assert Masker(["x***yzzzzz"]).text("x***yzzzzzab") == "***ab"
    assert Masker(["x***yzzzzz"]).text("[x***yzzzzz]") == "[***]"
    assert "yzzzzz" not in Masker(["x***yzzzzz"]).value({"a": "hello x***yzzzzz"})["a"]


@pytest.mark.parametrize("seed", range(40))
def test_masking_a_masked_text_again_changes_nothing(masker: Masker, seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(25):
        text = _random_text(rng, _SECRETS)
        once = masker.text(text)
        assert masker.text(once) == once, (text, once)


@pytest.mark.parametrize("seed", range(10))
def test_masked_values_hold_no_secret_masking_finds(masker: Masker, seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(10):
        value = {"a": _random_text(rng, _SECRETS), "rows": [_random_text(rng, _SECRETS) for _ in range(3)]}
        for text in _strings(masker.value(value)):
            assert masker.text(text) == text, (value, text)


def test_short_secrets_joined_into_a_token_beside_a_mask_stay_stable(masker: Masker) -> None:
    text = "pin7-" * 40 + "hunter2hunter2 tail"
    once = masker.text(text)
    assert "hunter2" not in once
    assert masker.text(once) == once


def _at_piece_end(text: str) -> list[tuple[int, int]]:
    """'ab' found only where it ends the text read (as a short secret is whole only before an edge)."""
    return [(len(text) - 2, len(text))] if text.endswith("ab") else []


def test_a_chain_that_needs_a_pass_per_secret_is_masked_within_a_bound() -> None:
    """Each 'ab' found only once the one after it is masked: past the bound of passes, what is left unread is
    masked whole rather than shown."""
    once = masked_until_stable(["ab" * 40], "*", _at_piece_end, 2, most_passes=8)[0]
    assert "ab" not in once
    assert masked_until_stable([once], "*", _at_piece_end, 2)[0] == once


def test_a_log_line_with_a_short_secret_beside_a_long_one_is_masked() -> None:
    redaction.forget_all()
    try:
        redaction.remember("hunter2hunter2", "pin7")
        line = redaction.redact_text("failed: pin7hunter2hunter2")
        assert "pin7" not in line, line
        assert redaction.redact_text(line) == line
    finally:
        redaction.forget_all()
