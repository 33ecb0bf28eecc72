"""Keep the Temporal SDK's own log lines off standard output, which carries only what a command prints.

The SDK core writes its log lines (retried RPCs, slow polls) to the process's standard output unless
they are forwarded: `ID=$(client.py start ...)` would capture one. The CLI's runtime forwards them to
Python logging, which writes warnings and errors to standard error.
"""

from __future__ import annotations

import logging
import sys
from functools import cache

from temporalio.runtime import LogForwardingConfig, LoggingConfig, Runtime, TelemetryConfig, TelemetryFilter


class _OwnFormat(logging.Formatter):
    """The SDK's lines in the format of the CLI's own (errors.stderr_line): JSON lines when the log is."""

    def format(self, record: logging.LogRecord) -> str:
        from orchestra.telemetry.own_lines import formatted, json_lines

        if not json_lines(unset="console"):
            return super().format(record)
        return formatted(record.getMessage(), logger=record.name, level=record.levelname.lower(), unset="console")


@cache
def quiet_runtime() -> Runtime:
    """The process's default runtime, with core logs forwarded to stderr (created once)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OwnFormat("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    forwarding = LogForwardingConfig(logger=logging.getLogger("temporalio.core"))
    runtime = Runtime(
        telemetry=TelemetryConfig(
            logging=LoggingConfig(filter=TelemetryFilter(core_level="WARN", other_level="ERROR"), forwarding=forwarding)
        )
    )
    Runtime.set_default(runtime, error_if_already_set=False)
    return runtime
