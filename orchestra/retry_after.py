"""RFC 9110 10.2.3's Retry-After, the one reader for every client here (http_request, MCP over HTTP, the
model endpoint): delay-seconds are digits only, so 'nan', 'inf' or '1e3' are unreadable, not waits
(``float('nan')`` made the model client's ``timedelta`` raise, a step crashing on a rate limit)."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from orchestra.temporal_bounds import MAX_DURATION_S


def retry_after_seconds(value: str | None) -> float | None:
    """Delay-seconds or an HTTP-date, as seconds from now (0 for a date past; a century at most, longer
    than any step waits: 400 digits were read as infinity, 'wait infs'); None when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return min(float(value), MAX_DURATION_S)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # an HTTP-date is GMT; parsedate_to_datetime leaves '-0000' naive
        when = when.replace(tzinfo=UTC)
    return min(max((when - datetime.now(UTC)).total_seconds(), 0.0), MAX_DURATION_S)
