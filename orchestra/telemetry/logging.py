"""structlog for the whole process: JSON lines in production, readable lines in a terminal.

The standard library's records (the Temporal SDK's, ``workflow.logger``'s and ``activity.logger``'s)
go through the same processors as structlog's own events, so every line has one shape: the SDK's
``temporal_workflow`` / ``temporal_activity`` extras become flat ``workflow_id``, ``run_id``,
``activity_type`` and ``attempt`` fields, and the redaction processor runs on every line last.

ORCHESTRA_LOG_FORMAT=json|console (default: console on a terminal, JSON otherwise),
ORCHESTRA_LOG_LEVEL=debug|info|warning|error (default info).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, MutableMapping
from typing import Any, TextIO

import structlog
from temporalio import activity, workflow
from temporalio.runtime import LoggingConfig

from orchestra import environment
from orchestra.telemetry.own_lines import log_format
from orchestra.telemetry.redaction import console_redact_processor, redact_processor
from orchestra.text import printable

_TEMPORAL_FIELDS = {
    "temporal_workflow": {"workflow_id": "workflow_id", "run_id": "run_id", "workflow_type": "workflow_type"},
    "temporal_activity": {
        "workflow_id": "workflow_id",
        "workflow_run_id": "run_id",
        "activity_id": "activity_id",
        "activity_type": "activity_type",
        "attempt": "attempt",
    },
}


def _flatten_temporal(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    event_dict.pop("__temporal_error_identifier", None)
    core = event_dict.pop(
        "temporal_log", None
    )  # a core line forwarded (core_logging): its fields, not an object's repr
    if core is not None and getattr(core, "fields", None):
        event_dict.setdefault("core_fields", dict(core.fields))
    for extra, fields in _TEMPORAL_FIELDS.items():
        info = event_dict.pop(extra, None)
        if isinstance(info, dict):
            for source, target in fields.items():
                if source in info:
                    event_dict.setdefault(target, info[source])
    return event_dict


def _printable_values(_logger: Any, _name: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """Every text of the line without what a terminal would act on (escape sequences, C1 controls)."""
    return {key: printable(value) if isinstance(value, str) else value for key, value in event_dict.items()}


def configure_logging(fmt: str | None = None, level: str | None = None, stream: TextIO | None = None) -> None:
    """Route structlog and the standard library to ``stream`` (stderr) in one format. Idempotent."""
    stream = stream or sys.stderr
    fmt = fmt or log_format(stream)
    level_name = (level or environment.value("ORCHESTRA_LOG_LEVEL") or "info").upper()
    timestamper = structlog.processors.TimeStamper(fmt="iso", utc=True)
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        _flatten_temporal,
        timestamper,
    ]
    renderer: Any
    redacted: Callable[..., Any]
    if fmt == "json":
        renderer = structlog.processors.JSONRenderer(default=str)
        # Never frame locals: they hold tool arguments, headers, keys.
        transformer = structlog.tracebacks.ExceptionDictTransformer(show_locals=False, max_frames=30)
        finish: list[Any] = [structlog.processors.ExceptionRenderer(transformer)]
        redacted = redact_processor
    else:
        renderer = structlog.dev.ConsoleRenderer(
            colors=hasattr(stream, "isatty") and stream.isatty(), exception_formatter=structlog.dev.plain_traceback
        )
        # On a terminal: what a tool's server, a model or a plan wrote (an error, a name) is shown, never
        # acted on; a traceback is text first, so that its messages are too.
        finish = [structlog.processors.format_exc_info, _printable_values]
        redacted = console_redact_processor
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.StackInfoRenderer(),
            *finish,
            redacted,
            renderer,
        ],
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.set_name("orchestra")
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if h.get_name() != "orchestra"] + [handler]
    root.setLevel(level_name)
    # httpx logs every request URL at INFO, query string included (which may carry a key).
    logging.getLogger("httpx").setLevel(max(logging.WARNING, root.level))
    # The one list every logger holds, changed in place: a logger cached on first use keeps the list it found, so
    # a new list (configured again: a test, a CLI command after a worker's set-up) left it on the old chain, which
    # structlog.testing.capture_logs (changing the list in place) never saw.
    processors = structlog.get_config()["processors"]
    processors[:] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        timestamper,
        structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
    ]
    structlog.configure(
        processors=processors,
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    # The ids are fields of their own: no need to repeat them inside every message.
    workflow.logger.workflow_info_on_message = False
    activity.logger.activity_info_on_message = False


def core_logging() -> LoggingConfig:
    """The Temporal SDK core's log lines (its Rust side: retried RPCs, activity completions) forwarded to Python
    logging, so they are written as every other line is (JSON lines in a log file). Left alone, the core wrote
    them itself: plain text with ANSI colours in the middle of the worker's JSON log."""
    from temporalio.runtime import LogForwardingConfig, TelemetryFilter

    return LoggingConfig(
        filter=TelemetryFilter(core_level="WARN", other_level="ERROR"),
        # The target stays in the logger's name; the fields are a field of the line (_flatten_temporal).
        forwarding=LogForwardingConfig(
            logger=logging.getLogger("temporalio.core"),
            prepend_target_on_message=False,
            append_log_fields_to_message=False,
        ),
    )


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)
