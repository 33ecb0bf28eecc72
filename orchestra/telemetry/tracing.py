"""OpenTelemetry tracing, configured by the standard OTEL_* environment variables; off by default.

- OTEL_TRACES_EXPORTER: ``otlp``, ``console`` or ``none`` (comma-separated for several). Unset: ``otlp``
  when OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set, else ``none``.
- OTLP is sent as http/protobuf (OTEL_EXPORTER_OTLP_PROTOCOL); endpoint, headers, timeout and
  certificates come from the exporter's own OTEL_EXPORTER_OTLP_* variables.
- OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES name the process; OTEL_SDK_DISABLED=true turns it all off.

With tracing on, ``connect()`` adds Temporal's TracingInterceptor to the client, and the worker
inherits it, so one trace links the client's start -> the workflow -> each activity -> the HTTP or LLM
call the tool made (spans of their own, from ``span()``).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.trace import Span, SpanKind, Status, StatusCode

from orchestra import environment
from orchestra.shown_url import UNREADABLE, shown_url
from orchestra.telemetry.masked_spans import MaskingExporter

if TYPE_CHECKING:
    from temporalio.contrib.opentelemetry import TracingInterceptor

log = logging.getLogger(__name__)
TRACER_NAME = "orchestra"
_state: dict[str, TracerProvider | None] = {"provider": None}


def exporters_from_env(env: Mapping[str, str] | None = None) -> list[SpanExporter]:
    env = os.environ if env is None else env
    exporters: list[SpanExporter] = []
    for name in environment.trace_exporters(env):
        if name in ("", "none"):
            continue
        if name == "console":
            exporters.append(ConsoleSpanExporter(out=sys.stderr))  # stdout carries only what a command prints
        elif name == "otlp":
            # Refuses any protocol but http/protobuf by its name (a SettingError), as the worker's start does.
            environment.value("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", env)
            environment.value("OTEL_EXPORTER_OTLP_PROTOCOL", env)
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            exporters.append(OTLPSpanExporter())
        else:
            raise ValueError(f"OTEL_TRACES_EXPORTER={name} is not supported: use otlp, console or none")
    return exporters


def configure_tracing(
    exporters: Sequence[SpanExporter] | None = None,
    *,
    service_name: str = "orchestra",
    set_global: bool = True,
) -> TracerProvider | None:
    """Build the tracer provider (exporters from the environment unless given); None when tracing is off."""
    if _state["provider"] is not None:
        return _state["provider"]
    chosen = exporters_from_env() if exporters is None else list(exporters)
    if not chosen:
        return None
    attributes = {} if os.environ.get("OTEL_SERVICE_NAME") else {"service.name": service_name}
    provider = TracerProvider(resource=Resource.create(attributes))
    for exporter in chosen:
        provider.add_span_processor(BatchSpanProcessor(MaskingExporter(exporter)))
    if set_global:
        trace.set_tracer_provider(provider)
    _state["provider"] = provider
    log.info("tracing on: %s", ", ".join(type(e).__name__ for e in chosen))
    return provider


def shutdown_tracing() -> None:
    """Flush and stop: call before leaving by os._exit, which skips atexit handlers."""
    provider, _state["provider"] = _state["provider"], None
    if provider is not None:
        provider.force_flush()
        provider.shutdown()


def enabled() -> bool:
    return _state["provider"] is not None


def tracer() -> trace.Tracer:
    provider = _state["provider"]
    return provider.get_tracer(TRACER_NAME) if provider else trace.get_tracer(TRACER_NAME)


def interceptors() -> list[TracingInterceptor]:
    """Temporal's tracing interceptor when tracing is on (a client interceptor the worker inherits)."""
    # Imported here: a tool or an offline `plan` that only traces spans should not load the Temporal SDK.
    from temporalio.contrib.opentelemetry import TracingInterceptor

    return [TracingInterceptor(tracer())] if enabled() else []


def safe_url(url: str) -> str:
    """The URL as a span names it: as an error message does (``shown_url``: no user info or fragment, one
    with no host as its scheme alone), without its query either, so a span names the endpoint alone."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return shown_url(url)
    if shown_url(url) == UNREADABLE:  # 'http://ann:1234?x@h' without its query is 'http://ann:1234', readable
        return UNREADABLE
    return shown_url(urlunsplit(parts._replace(query="", fragment="")))


@contextmanager
def span(
    name: str, *, kind: SpanKind = SpanKind.INTERNAL, attributes: Mapping[str, Any] | None = None
) -> Iterator[Span]:
    """A span that records an escaping exception as an error (cheap no-op when tracing is off)."""
    with tracer().start_as_current_span(name, kind=kind, attributes=dict(attributes or {})) as current:
        yield current


def set_http_status(current: Span, status: int) -> None:
    current.set_attribute("http.response.status_code", status)
    if status >= 400:
        current.set_status(Status(StatusCode.ERROR, f"HTTP {status}"))
