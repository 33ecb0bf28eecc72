"""Logging configured twice in one process (tests; a CLI command after a worker's set-up): a logger cached on
first use between the two kept the first chain, so structlog.testing.capture_logs missed its lines (two MCP tests
failed by the order tests ran in)."""

from __future__ import annotations

import io
import logging

import structlog

from orchestra.telemetry.logging import configure_logging


def test_a_logger_cached_between_two_configurations_is_captured():
    configure_logging("json", stream=io.StringIO())
    log = structlog.get_logger("orchestra.probe")
    log.info("first")  # cached on first use
    configure_logging("json", stream=io.StringIO())
    try:
        with structlog.testing.capture_logs() as logs:
            log.info("second")
    finally:
        logging.getLogger().handlers = [h for h in logging.getLogger().handlers if h.get_name() != "orchestra"]
    assert [line["event"] for line in logs] == ["second"]
