"""Durations as people write them on a command line: ``90s``, ``5m``, ``1h30m``, ``1d``, ``250ms``."""

from __future__ import annotations

import re
from datetime import timedelta

from orchestra.cli.errors import EXIT_INVALID, CliError
from orchestra.temporal_bounds import MAX_DURATION_S

_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")
_UNIT_S = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> timedelta:
    compact = text.replace(" ", "").lower()
    parts = _DURATION.findall(compact)
    if not parts or "".join(n + u for n, u in parts) != compact:
        raise CliError(f"bad duration {text!r}: use e.g. 30s, 5m, 1h30m, 1d", EXIT_INVALID)
    seconds = sum(float(n) * _UNIT_S[u] for n, u in parts)
    if seconds > MAX_DURATION_S:
        raise CliError(f"bad duration {text!r}: longer than 100 years ({MAX_DURATION_S:,} s)", EXIT_INVALID)
    return timedelta(seconds=seconds)
