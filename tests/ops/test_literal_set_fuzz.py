"""The log masker's finding and masking against brute force: random values and texts of few characters
(so they overlap, nest and run into the mask), regex metacharacters and characters outside ASCII."""

from __future__ import annotations

import random

import pytest

from orchestra import literal_set
from orchestra.literal_set import LiteralSet, masked_around
from orchestra.secrets import mask_secrets
from orchestra.telemetry import redaction
from orchestra.telemetry.redaction import MASK, redact

_ALPHABET = "aab.*[]\\(é€😀" + "REDACT"


def _occurrences(text: str, value: str) -> list[tuple[int, int]]:
    return [(at, at + len(value)) for at in range(len(text)) if text.startswith(value, at)]


def _brute_masked(text: str, values: list[str], mask: str) -> str:
    """Every occurrence of every value, those meeting the mask where the text has it dropped; a character
    covered is masked, one mask for those a single occurrence joins: a character at a time."""
    at_mask = {i for begin, end in _occurrences(text, mask) for i in range(begin, end)}
    spans = [s for v in values for s in _occurrences(text, v) if not at_mask & set(range(*s))]
    out = []
    for i, char in enumerate(text):
        if not any(begin <= i < end for begin, end in spans):
            out.append(char)
        elif not any(begin < i < end for begin, end in spans):  # not joined to the character before
            out.append(mask)
    return "".join(out)


def _random_text(rng: random.Random, longest: int) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, longest)))


@pytest.mark.parametrize("seed", range(300))
def test_masking_matches_brute_force_and_masking_again_changes_nothing(seed: int, monkeypatch) -> None:
    rng = random.Random(seed)
    if seed % 2:  # levels that stop growing early: many of them, read one after the other
        monkeypatch.setattr(literal_set, "_LEVEL_SIZE", rng.randint(1, 12))
    mask = rng.choice([MASK, "***", "*"])
    values = list({v for v in (_random_text(rng, 6) for _ in range(rng.randint(1, 40))) if v})
    found = LiteralSet()
    for start in range(0, len(values), 3):  # added a few at a time: several levels, merged as they grow
        found.add(values[start : start + 3])
    for _ in range(20):
        text = _random_text(rng, 40) + rng.choice(["", mask, mask[:-1]]) + _random_text(rng, 10)
        once = masked_around(text, mask, found.spans)
        assert once == _brute_masked(text, values, mask), (values, text)
        assert masked_around(once, mask, found.spans) == once, (values, text)
    kept = values[: len(values) // 4]
    found.keep_only(kept)
    text = "".join(rng.choice(values) + _random_text(rng, 3) for _ in range(10))
    assert masked_around(text, mask, found.spans) == _brute_masked(
        text, values if len(found) > len(kept) else kept, mask
    )


def test_values_inside_or_running_into_the_mask_do_not_grow_it() -> None:
    """A value that is part of ``[REDACTED]`` masked it again on each pass: ``[[REDACTED]ED]``."""
    redaction.forget_all()
    try:
        redaction.remember("REDACT", "ED] and", "plan-value-1", every_form=False)
        redaction.remember("redacted")  # the worker's own, in every letter case
        once = redact("sent plan-value-1 and more")
        assert once == f"sent {MASK} and more"
        assert redact(once) == once and redact(redact(MASK)) == MASK
        # The history's masker too: a secret that runs into its "***" once another is masked before it.
        secrets = ["first-secret", "*x-second"]
        history = mask_secrets("got first-secretx-second", secrets)
        assert history == "got ******" and mask_secrets(history, secrets) == history
    finally:
        redaction.forget_all()


def test_a_value_that_begins_or_ends_with_part_of_the_mask_is_masked_where_a_text_puts_the_mask_against_it():
    """Values are looked for only beside the mask already in a text: a password ``hunter2*`` echoed as
    ``hunter2***`` (a header ``${secrets.PW}**``) met the mask and was not found, ``hunter2`` in clear."""
    assert (
        mask_secrets("echo: hunter2*** and ***pw-secret-1", ["hunter2*", "*pw-secret-1"]) == "echo: ****** and ******"
    )
    redaction.forget_all()
    try:
        redaction.remember("]]token-value-1", every_form=False)
        redaction.remember("worker-key[RE")
        masked = redact("[REDACTED]]token-value-1 and worker-key[REDACTED] and WORKER-KEY[redacted]")
        assert "token-value" not in masked and "worker-key" not in masked.lower(), masked
        assert redact(masked) == masked
    finally:
        redaction.forget_all()


@pytest.mark.parametrize("seed", range(300))
def test_values_longer_than_a_level_repeating_or_not_match_brute_force(seed: int, monkeypatch) -> None:
    """A value longer than a level is found by ``str.find``, over whole periods at once where the text
    repeats it: ``abab...`` values in texts of ``ab``, so occurrences overlap at every period."""
    rng = random.Random(seed)
    monkeypatch.setattr(literal_set, "_LEVEL_SIZE", 4)
    unit = "".join(rng.choice("ab") for _ in range(rng.randint(1, 3)))
    values = list({(unit * 12)[: rng.randint(5, 14)] for _ in range(rng.randint(1, 3))})
    values += ["".join(rng.choice("ab") for _ in range(rng.randint(5, 9))) for _ in range(rng.randint(0, 2))]
    found = LiteralSet(values)
    for _ in range(10):
        text = "".join(rng.choice([unit * rng.randint(1, 12), rng.choice("abc")]) for _ in range(rng.randint(0, 12)))
        assert masked_around(text, "*", found.spans) == _brute_masked(text, values, "*"), (values, text)
