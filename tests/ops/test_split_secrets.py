"""A remembered value that runs from one field of a log line, or one text of a span, into the next."""

from __future__ import annotations

import io
import json
import logging
import random

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from orchestra.literal_set import LiteralSet, across
from orchestra.telemetry import redaction
from orchestra.telemetry.logging import configure_logging, get_logger
from orchestra.telemetry.masked_spans import MaskingExporter
from orchestra.telemetry.redaction import MASK

PLAN_VALUE = "X-Api: plan-chosen-s3cret"
WORKER_KEY = "worker-key-0123456789"


@pytest.fixture(autouse=True)
def _fresh_memory():
    redaction.forget_all()
    redaction.remember({"X-Api": PLAN_VALUE}, every_form=False)
    redaction.remember(WORKER_KEY)
    yield
    redaction.forget_all()


@pytest.mark.parametrize("secret", [PLAN_VALUE, WORKER_KEY])
def test_a_secret_split_across_two_fields_of_a_log_line_is_masked_in_both(secret: str) -> None:
    stream = io.StringIO()
    configure_logging("json", "info", stream)
    try:
        get_logger("t").info("tool said", head=secret[:9], tail=secret[9:], other="plain")
    finally:
        logging.getLogger().handlers = [h for h in logging.getLogger().handlers if h.get_name() != "orchestra"]
    line = json.loads(stream.getvalue())
    assert (line["head"], line["tail"], line["other"]) == (MASK, MASK, "plain"), line
    assert secret[:9] not in stream.getvalue() and secret[9:] not in stream.getvalue()


def test_a_secret_split_between_a_spans_attribute_and_its_events_message_is_masked_in_both() -> None:
    exported = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(MaskingExporter(exported)))
    with provider.get_tracer("t").start_as_current_span("http_request") as span:
        span.set_attribute("http.url", "https://example.com/?q=" + PLAN_VALUE[:12])
        span.add_event("exception", {"exception.message": PLAN_VALUE[12:] + " was refused"})
    (done,) = exported.get_finished_spans()
    assert done.attributes is not None and done.attributes["http.url"] == f"https://example.com/?q={MASK}"
    assert done.events[0].attributes == {"exception.message": f"{MASK} was refused"}


@pytest.mark.parametrize("seed", range(200))
def test_across_matches_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    values = list({"".join(rng.choice("ab") for _ in range(rng.randint(2, 4))) for _ in range(3)})
    texts = ["".join(rng.choice("abc") for _ in range(rng.randint(0, 4))) for _ in range(rng.randint(1, 5))]
    parts = across(texts, LiteralSet(values).spans)
    joined = "".join(texts)
    starts = [sum(map(len, texts[:i])) for i in range(len(texts) + 1)]
    for index, text in enumerate(texts):
        covered = {i for begin, end in parts[index] for i in range(begin, end)}
        wanted = set()
        for value in values:
            for at in range(len(joined) - len(value) + 1):
                crosses = any(at < start < at + len(value) for start in starts)
                if joined.startswith(value, at) and crosses:
                    wanted |= {
                        i - starts[index] for i in range(at, at + len(value)) if starts[index] <= i < starts[index + 1]
                    }
        # A run of overlapping values crossing is masked whole in each text it touches (more, never less).
        assert wanted <= covered, (values, texts)
        assert all(0 <= begin < end <= len(text) for begin, end in parts[index])
