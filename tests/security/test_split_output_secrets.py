"""A secret that runs from one string of a tool's output into the next (a server's text cut into content
blocks, stdout's end and stderr's start) masked in the history in both: each half was in clear, whole to
whoever read them in order."""

from __future__ import annotations

import random
import re

import pytest

from orchestra.secrets import SHORT_SECRET, mask_secrets, secret_pattern

SECRET = "hunter2-Pass"


def test_a_secret_cut_between_two_strings_of_a_list_or_a_mapping_is_masked_in_both() -> None:
    blocks = [{"type": "text", "text": "token: " + SECRET[:5]}, {"type": "text", "text": SECRET[5:] + " ok"}]
    assert mask_secrets({"content": ["a " + SECRET[:7], SECRET[7:] + " b"]}, [SECRET]) == {
        "content": ["a ***", "*** b"]
    }
    assert mask_secrets({"stdout": "x" * 9000 + SECRET[:3], "stderr": SECRET[3:].upper()}, [SECRET]) == {
        "stdout": "x" * 9000 + "***",
        "stderr": "***",
    }
    # Strings of different containers are not joined: no reader's order is known between them.
    assert mask_secrets(blocks, [SECRET]) == blocks


@pytest.mark.parametrize("seed", range(200))
def test_masking_across_strings_matches_brute_force(seed: int) -> None:
    rnd = random.Random(seed)
    length = rnd.randint(4, 6) if seed % 2 else rnd.randint(SHORT_SECRET, SHORT_SECRET + 2)
    secret = "".join(rnd.choice("abc") for _ in range(length))
    cut = rnd.randint(1, len(secret) - 1)
    pieces = ["a", "b", "c", "x", secret, secret[:cut], secret[cut:]]
    texts = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 4))) for _ in range(4)]
    masked = mask_secrets(texts, [secret])
    # A NUL where each was masked: no form of a secret holds one (a line's end is inside a wrapped one).
    assert re.search(secret_pattern(secret), "".join(masked).replace("***", "\x00")) is None, (secret, texts, masked)
    # A short one is a whole token in a string of its own that joined to its neighbours is none: masked still.
    if re.search(secret_pattern(secret), "".join(texts)) is None and len(secret) >= SHORT_SECRET:
        assert masked == texts
