"""Every text of a log line, inside its lists and mappings too (structlog's positional arguments), joined in
the order they are written, each bounded: a secret whose parts are a list's items was in clear, and a
field of a megabyte was masked whole on the thread that logged."""

from __future__ import annotations

import io
import json
import logging

import pytest

from orchestra.telemetry.logging import configure_logging, get_logger
from orchestra.telemetry.redaction import MASK, MAX_LOGGED_CHARACTERS, redact_processor

# The values remembered, fresh for each test (a fixture used by its name).
from tests.ops.test_split_secrets import PLAN_VALUE, WORKER_KEY, _fresh_memory  # noqa: F401


def _logged(emit) -> tuple[dict[str, object], str]:
    stream = io.StringIO()
    configure_logging("json", "info", stream)
    try:
        emit(get_logger("t"))
    finally:
        logging.getLogger().handlers = [h for h in logging.getLogger().handlers if h.get_name() != "orchestra"]
    return json.loads(stream.getvalue()), stream.getvalue()


@pytest.mark.parametrize("secret", [PLAN_VALUE, WORKER_KEY])
@pytest.mark.parametrize("holder", [list, tuple, lambda parts: {"a": parts[0], "b": {"c": parts[1]}}])
def test_a_secret_whose_parts_are_a_fields_items_is_masked_in_each(secret, holder) -> None:
    line, rendered = _logged(lambda log: log.info("tool said", parts=holder([secret[:9], secret[9:]]), other="plain"))
    assert secret[:9] not in rendered and secret[9:] not in rendered, rendered
    assert line["other"] == "plain" and MASK in rendered


def test_a_secret_in_structlogs_positional_arguments_is_masked() -> None:
    line, rendered = _logged(lambda log: log.info("token %s%s then %s", WORKER_KEY[:8], WORKER_KEY[8:], "done"))
    assert WORKER_KEY[:8] not in rendered and WORKER_KEY[8:] not in rendered, rendered
    assert line["positional_args"] == [MASK, MASK, "done"]


def test_a_secret_from_a_fields_last_item_into_the_next_field_is_masked() -> None:
    line, _ = _logged(lambda log: log.info("x", head=["a", WORKER_KEY[:10]], tail=WORKER_KEY[10:] + " ok"))
    assert line["head"] == ["a", MASK] and line["tail"] == f"{MASK} ok"


def test_a_field_of_a_megabyte_is_quoted_masked_as_masking_it_whole_would() -> None:
    text = "%41+ " * 100 + PLAN_VALUE + " " + "%41+ " * (1 << 18)
    line = redact_processor(None, "info", {"event": "x", "body": text, "items": [text]})
    for quoted in (line["body"], line["items"][0]):
        assert len(quoted) < MAX_LOGGED_CHARACTERS + 64 and quoted.endswith(f"({len(text):,} characters)")
        assert quoted.startswith("%41+ " * 100 + MASK + " %41+")
        assert "plan-chosen" not in quoted


def test_a_line_with_a_cycle_and_shared_parts_is_logged() -> None:
    shared = [WORKER_KEY[:10]]
    cycle: list[object] = [WORKER_KEY]
    cycle.append(cycle)
    line = redact_processor(None, "info", {"event": "x", "a": shared, "b": shared, "c": cycle})
    assert WORKER_KEY not in repr(line) and line["c"][0] == MASK


def test_a_spans_attribute_of_a_megabyte_is_quoted_masked() -> None:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from orchestra.telemetry.masked_spans import MaskingExporter

    exported = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(MaskingExporter(exported)))
    url = "https://example.com/?q=" + PLAN_VALUE + "&p=" + "%41+" * (1 << 18)
    with provider.get_tracer("t").start_as_current_span("http_request") as span:
        span.set_attribute("http.url", url)
    (done,) = exported.get_finished_spans()
    shown = str((done.attributes or {})["http.url"])
    assert shown.startswith(f"https://example.com/?q={MASK}&p=%41+") and len(shown) < MAX_LOGGED_CHARACTERS + 64


def test_a_secret_whose_parts_are_a_spans_sequence_attributes_items_is_masked_in_each() -> None:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from orchestra.telemetry.masked_spans import MaskingExporter

    exported = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(MaskingExporter(exported)))
    with provider.get_tracer("t").start_as_current_span("call") as span:
        span.set_attribute("parts", [WORKER_KEY[:10], WORKER_KEY[10:], "plain"])
    (done,) = exported.get_finished_spans()
    parts = (done.attributes or {})["parts"]
    assert isinstance(parts, list | tuple) and list(parts) == [MASK, MASK, "plain"]
