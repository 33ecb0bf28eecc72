"""What tests of the planner need here, decided when a test runs, not when it is collected."""

from __future__ import annotations

import pytest

from orchestra.selection import semantic


@pytest.fixture
def encoder_installed() -> None:
    """Skips a test the sentence encoder is needed for when it is not installed (or turned off). Asked at run
    time: a skip condition is computed at collection, where loading the model cost every xdist worker 0.23 s
    per module that asked, run or not."""
    if semantic.embedder() is None:
        pytest.skip("the sentence encoder is not installed")
