"""A plan's value holding a lone surrogate (a JSON "\\ud800"), the very character a log line's texts are joined by
to be masked in one pass (and an encoded text's decoded runs): it matched across the joint, and a text's end was
masked for what began the next, so a line's texts came out other than each masked alone. Its parts apart from
that character are remembered instead: a text holding the value whole holds them too."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest

from orchestra.telemetry import redaction

VALUE = "tok3n-of-plan\ud800rest-of-plan"


@pytest.fixture(autouse=True)
def remembered() -> Iterator[None]:
    redaction.forget_all()
    redaction.remember(VALUE, "\ud800second-half", "first-half\ud800", "\ud800\ud800tail-x6", every_form=False)
    yield
    redaction.forget_all()


TEXTS = [
    "x tok3n-of-plan",
    "rest-of-plan y",
    "first-half",
    "second-half",
    "plain text",
    base64.b64encode(b"first-half").decode() + " " + base64.b64encode(b"zz").decode(),
    base64.b64encode(b"zzzzzz").decode() + " " + base64.b64encode(b"second-half").decode(),
    f"whole {VALUE} here",
    "%41 escaped\ud800",  # percent-decoded, the line's joint is read as the separator's UTF-8 as Latin-1
    "tail-x6",
]


@pytest.mark.parametrize("order", [TEXTS, TEXTS[::-1]], ids=["forward", "backward"])
def test_a_line_of_texts_is_masked_as_each_text_alone(order: list[str]) -> None:
    assert redaction.redact({"items": order}) == {"items": [redaction.redact_text(text) for text in order]}


def test_the_value_whole_and_its_parts_are_masked() -> None:
    assert redaction.redact_text(f"whole {VALUE} here") == f"whole {redaction.MASK}\ud800{redaction.MASK} here"
    assert redaction.redact_text("x first-half") == f"x {redaction.MASK}"
