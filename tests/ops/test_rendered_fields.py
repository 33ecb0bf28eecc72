"""A log line's fields masked as the renderer writes them: a value that is no text (bytes, a set, an object
whose repr quotes a secret) as its text, and a console line's texts joined in the order it writes them."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from typing import Any

import pytest
import structlog

from orchestra.telemetry import redaction
from orchestra.telemetry.logging import configure_logging

VALUE = "Zq9xW2mK7pLr4TbN8vYc"  # a plan's header
KEY = "k148-Fj3Lq9Wm2Xc7Vb5N"  # the worker's own secret


@pytest.fixture(autouse=True)
def _remembered():
    redaction.forget_all()
    redaction.remember({"X-Key": VALUE}, every_form=False)
    redaction.remember(KEY)
    yield
    redaction.forget_all()


def _lines(fmt: str, log: Callable[[Any], object]) -> str:
    stream = io.StringIO()
    configure_logging(fmt, stream=stream)
    try:
        log(structlog.get_logger("t"))
    finally:
        logging.getLogger().handlers = [h for h in logging.getLogger().handlers if h.get_name() != "orchestra"]
    return stream.getvalue()


class Quoting:
    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"Quoting({self.value})"

    __str__ = __repr__


@pytest.mark.parametrize("fmt", ["json", "console"])
@pytest.mark.parametrize("secret", [VALUE, KEY], ids=["plan's value", "worker's secret"])
@pytest.mark.parametrize(
    "shape", [str.encode, lambda s: {s}, lambda s: frozenset({s}), Quoting, lambda s: [Quoting(s)]],
    ids=["bytes", "set", "frozenset", "object", "object in a list"],
)  # fmt: skip
def test_a_field_that_is_no_text_is_masked_as_it_is_written(fmt, secret, shape):
    out = _lines(fmt, lambda log: log.info("sent", body=shape(secret)))
    assert secret not in out and "[REDACTED]" in out, out


@pytest.mark.parametrize("secret", [VALUE, KEY], ids=["plan's value", "worker's secret"])
def test_a_secret_split_over_two_fields_is_masked_in_the_order_the_console_writes_them(secret):
    """The console writes fields by name: ``a=<head> b=<tail>`` however they were given."""
    head, tail = secret[:9], secret[9:]
    out = _lines("console", lambda log: log.info("sent", b=tail, a=head))
    assert head not in out and tail not in out, out
