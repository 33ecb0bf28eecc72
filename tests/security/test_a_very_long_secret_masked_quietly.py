"""A secret of 1,700 bytes (a key, a certificate's body): its encoded forms' prefilter was past what RE2 compiles, and
RE2 wrote thousands of lines of its failure on the worker's stderr each time; it is masked, and nothing is written."""

from __future__ import annotations

import random

import pytest

from orchestra.secrets import Masker


def test_a_secret_too_long_for_re2_is_masked_and_nothing_is_written(capfd: pytest.CaptureFixture[str]) -> None:
    rng = random.Random("a very long secret")
    secret = "".join(
        rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(1700)
    )
    masked = Masker([secret]).text(f"before {secret} after\n{secret.encode().hex()}\n")
    assert secret not in masked and secret.encode().hex() not in masked, masked[:200]
    assert "before" in masked and "after" in masked
    assert capfd.readouterr().err == ""
