"""A plan's value of digits alone (a page size, an account's number) is masked where it is a number of its
own, not inside every longer number that holds its digits."""

from __future__ import annotations

import pytest

from orchestra.telemetry import redaction
from orchestra.telemetry.redaction import MASK, redact


@pytest.fixture(autouse=True)
def _remembered():
    redaction.forget_all()
    redaction.remember({"X-Page-Size": "100000", "X-Pin": "482193"}, every_form=False)
    yield
    redaction.forget_all()


def test_a_plans_number_inside_a_longer_number_is_logged() -> None:
    assert redact("took 1000000 ms, id 91482193, at 21000007") == "took 1000000 ms, id 91482193, at 21000007"


@pytest.mark.parametrize("text", ["pin 482193 refused", "?pin=482193&x=1", "size:100000.", "pin482193"])
def test_a_plans_number_standing_alone_is_masked(text: str) -> None:
    masked = redact(text)
    assert "482193" not in masked and "100000" not in masked and MASK in masked
