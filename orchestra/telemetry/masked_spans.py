"""Spans leave the process masked as log lines are: by what orchestra/telemetry/redaction.py knows.

A span records what a call was given and how it failed: an http_request's URL (a secret may be in its
path and query), and an escaping exception's message and traceback (``HTTP 404 from`` that URL, an error
page echoing a header). The run's history and the logs got these masked; the span exporter got them in
clear. Masked here, at the exporter, every span is, whoever made it (ours, Temporal's interceptor's).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from opentelemetry.sdk.trace import Event, ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult
from opentelemetry.trace import Link, Status

from orchestra.telemetry import redaction


class MaskingExporter(SpanExporter):
    """Hands ``inner`` copies of the spans with secrets masked in their name, attributes, events, links'
    attributes and status (the resource is the process's own, set once from its configuration)."""

    def __init__(self, inner: SpanExporter) -> None:
        self.inner = inner

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        # One walk for the whole batch: the masker is built once, not once per span.
        masked = redaction.redact([_text_of(span) for span in spans])
        return self.inner.export([_rebuilt(span, text) for span, text in zip(spans, masked, strict=True)])

    def shutdown(self) -> None:
        self.inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.inner.force_flush(timeout_millis)


def _text_of(span: ReadableSpan) -> dict[str, Any]:
    """The span's texts, with a remembered value that runs from one of them into the next masked first
    (``redaction.split_masked``): in the order an exporter writes them, attributes then events; each cut to
    ``redaction.MAX_LOGGED_CHARACTERS`` first (a URL of a megabyte of ``%41`` was seconds to mask)."""
    text: dict[str, Any] = {
        "name": span.name,
        "attributes": dict(span.attributes or {}),
        "events": [{"name": e.name, "attributes": dict(e.attributes or {})} for e in span.events],
        "links": [dict(link.attributes or {}) for link in span.links],
        "status": span.status.description,
    }
    holders = [text["attributes"], *(event["attributes"] for event in text["events"])]
    for holder in holders:  # a sequence's texts too (its items held a secret's parts, each in clear)
        holder.update({key: list(value) for key, value in holder.items() if isinstance(value, tuple | list)})
    places = [place for holder in holders for place in redaction.text_slots(holder)]
    texts = [holder[key] for holder, key in places] + [text["status"] or ""]
    joined = redaction.split_masked(list(map(redaction.bounded, texts)))
    for (holder, key), value in zip(places, joined, strict=False):
        holder[key] = value
    if text["status"]:
        text["status"] = joined[-1]
    return text


def _rebuilt(span: ReadableSpan, text: dict[str, Any]) -> ReadableSpan:
    events = [
        Event(masked["name"], masked["attributes"], timestamp=event.timestamp)
        for event, masked in zip(span.events, text["events"], strict=True)
    ]
    links = [Link(link.context, masked) for link, masked in zip(span.links, text["links"], strict=True)]
    return ReadableSpan(
        name=text["name"],
        context=span.context,
        parent=span.parent,
        resource=span.resource,
        attributes=text["attributes"],
        events=events,
        links=links,
        kind=span.kind,
        status=Status(span.status.status_code, text["status"]),
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )
