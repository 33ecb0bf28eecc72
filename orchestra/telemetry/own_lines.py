"""Lines a process writes itself, not through its logger (that a worker is ready, why a process cannot start, the
CLI's errors and notes), in its log's format: a JSON line when the log is JSON lines, else the text. Plain text
among JSON lines made a log shipper reading the one format choke on the other. One rule for every process:
ORCHESTRA_LOG_FORMAT decides; unset, a service (worker, codec server) writes JSON lines off a terminal, and the
CLI, whose standard error a person or a script matching 'error:' reads, the text. Light (no structlog, no SDK):
a refused start says it before the heavy imports."""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from orchestra import environment


def log_format(stream: TextIO | None = None, unset: str | None = None) -> str:
    """ORCHESTRA_LOG_FORMAT, else ``unset`` if given, else console on a terminal and JSON lines otherwise."""
    chosen = environment.value("ORCHESTRA_LOG_FORMAT")
    if chosen is not None:
        return chosen.lower()
    if unset is not None:
        return unset
    stream = stream or sys.stderr
    return "console" if hasattr(stream, "isatty") and stream.isatty() else "json"


def json_lines(unset: str | None = None) -> bool:
    """Whether the log is JSON lines (``log_format``). An unreadable ORCHESTRA_LOG_FORMAT (said by the settings
    check) is the text."""
    try:
        return log_format(unset=unset) == "json"
    except environment.SettingError:
        return False


def formatted(text: str, *, logger: str, level: str = "info", unset: str | None = None, **fields: Any) -> str:
    """``text`` in the log's format, masked as a logged line is: these lines pass no logger's redaction, and a
    setting refused quoted its value (an API key set in the wrong variable) in clear. Its other words stay as
    they were, so what waits for a line ("worker ready") still finds it."""
    text = masked(text)
    if not json_lines(unset):
        return text
    at = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    # The blank line before a terminal's line (after a ^C) is no part of a JSON line's event.
    return json.dumps({"event": text.strip("\n"), **fields, "level": level, "logger": logger, "timestamp": at})


# What a secret's shape or its key's name needs: a word holding letters and digits, or a word naming a secret
# (orchestra/telemetry/redaction.py). A line with neither is left as it is without importing the redaction, whose
# import (0.3 to 0.7 s) a usage error ('No such option') paid on top of its 0.07 s.
_MAYBE_SECRET = re.compile(
    r"(?=[^\s'\"]*[A-Za-z])(?=[^\s'\"]*[0-9])[^\s'\"]{8,}|pass|secret|token|key|auth|bearer|basic|cookie|credential|@",
    re.IGNORECASE,
)


# Secrets this process was given (the CLI's API key, its codec key) remembered when the first line is masked, not
# when given: remembering builds a pattern of every encoding of each (seconds for an API key), which a command that
# prints nothing to mask never needs. Any text may hold one, in any encoding: none is left unmasked for its shape.
_to_remember: list[str] = []


def remember_when_masking(*secrets: str) -> None:
    _to_remember.extend(secrets)


def remember_pending() -> None:
    """The secrets given to ``remember_when_masking`` remembered by the log redaction now (a log line is masked by
    it, never by this module)."""
    if _to_remember:
        from orchestra.telemetry import redaction

        redaction.remember(*_to_remember)
        _to_remember.clear()


def masked(text: str) -> str:
    """``text`` masked as a logged line is: these lines pass no logger's redaction."""
    remember_pending()
    if "orchestra.telemetry.redaction" not in sys.modules and not _MAYBE_SECRET.search(text):
        return text  # nothing remembered yet, nothing of a secret's shape
    from orchestra.telemetry.redaction import redact_text

    return redact_text(text)


def say(text: str, *, logger: str, level: str = "info", stream: TextIO | None = None, **fields: Any) -> None:
    """``text`` on ``stream`` (stdout) in the log's format (``formatted``)."""
    print(formatted(text, logger=logger, level=level, **fields), file=stream or sys.stdout, flush=True)
