"""Keep the Temporal SDK's own log lines off standard output, which carries only what a command prints.

The SDK core writes its log lines (retried RPCs, slow polls) to the process's standard output unless
they are forwarded: `ID=$(client.py start ...)` would capture one. The CLI's runtime forwards them to
Python logging, which writes warnings and errors to standard error.
"""

from __future__ import annotations

import logging
from functools import cache

from temporalio.runtime import LogForwardingConfig, LoggingConfig, Runtime, TelemetryConfig, TelemetryFilter

from orchestra.cli.log_lines import to_stderr


@cache
def quiet_runtime() -> Runtime:
    """The process's default runtime, with core logs forwarded to stderr (created once)."""
    to_stderr()
    forwarding = LogForwardingConfig(logger=logging.getLogger("temporalio.core"))
    runtime = Runtime(
        telemetry=TelemetryConfig(
            logging=LoggingConfig(filter=TelemetryFilter(core_level="WARN", other_level="ERROR"), forwarding=forwarding)
        )
    )
    Runtime.set_default(runtime, error_if_already_set=False)
    return runtime
