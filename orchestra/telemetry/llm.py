"""LLM calls as spans (OpenTelemetry GenAI attribute names) and as token metrics."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from opentelemetry.trace import Span, SpanKind

from orchestra.telemetry import metrics, tracing


@contextmanager
def chat_span(model: str, base_url: str) -> Iterator[Span]:
    attributes = {
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": model,
        "server.address": tracing.safe_url(base_url),
    }
    with tracing.span(f"chat {model}", kind=SpanKind.CLIENT, attributes=attributes) as span:
        yield span


def record_answer(span: Span, answer: Any, model: str) -> None:
    """Token counts and finish reason on the span; tokens into the metrics (inside an activity)."""
    usage = answer.usage
    span.set_attribute("gen_ai.usage.input_tokens", usage.prompt_tokens)
    span.set_attribute("gen_ai.usage.output_tokens", usage.completion_tokens)
    if answer.model:
        span.set_attribute("gen_ai.response.model", answer.model)
    if answer.finish_reason:
        span.set_attribute("gen_ai.response.finish_reasons", [answer.finish_reason])
    metrics.record_tokens(usage.prompt_tokens, usage.completion_tokens, answer.model or model)
