"""Lines a process writes itself, not through its logger (that a worker is ready, why a process cannot start),
in its log's format: a JSON line when the log is JSON lines, else the text. Plain text among JSON lines made a
log shipper reading the one format choke on the other. Light (no structlog, no SDK): a refused start says it
before the heavy imports."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from orchestra import environment


def log_format(stream: TextIO | None = None) -> str:
    """ORCHESTRA_LOG_FORMAT, else console on a terminal and JSON lines otherwise."""
    chosen = environment.value("ORCHESTRA_LOG_FORMAT")
    if chosen is not None:
        return chosen.lower()
    stream = stream or sys.stderr
    return "console" if hasattr(stream, "isatty") and stream.isatty() else "json"


def say(text: str, *, logger: str, level: str = "info", stream: TextIO | None = None, **fields: Any) -> None:
    """``text`` on ``stream`` (stdout) in the log's format. Its words stay as they were, so what waits for a
    line ("worker ready") still finds it. An unreadable ORCHESTRA_LOG_FORMAT (said by the settings check) is
    the text."""
    try:
        fmt = log_format()
    except environment.SettingError:
        fmt = "console"
    if fmt == "json":
        at = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        text = json.dumps({"event": text, **fields, "level": level, "logger": logger, "timestamp": at})
    print(text, file=stream or sys.stdout, flush=True)
