"""A URL as messages name it: a plan may write a credential into the URL itself, and a message reaches the
run's history and the logs where no secret reference masks it."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit, urlunsplit

SHOWN_URL_CHARS = 200  # a URL named in a message: a plan's 100 KB URL would be copied into every error
UNREADABLE = "(an unreadable URL)"
# A host and port as urllib reads them, or none: a netloc of 'ann:hunter2' (a '/', '?' or '#' in a password
# ends the user info) or '[::1]hunter2' would be shown, the password as a port.
_HOST_PORT = re.compile(r"(\[[^\]]*\]|[^\[\]:]*)(:[0-9]*)?")
# What a library's error text quotes of a URL it could not read ('hunter2' of "Port could not be cast to
# integer value as 'hunter2'"): the part it could not read, that same password.
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
# Why a URL with ambiguous user info is refused, and how to write what was meant.
AMBIGUOUS_USER_INFO = (
    "a ':' in its host part and an '@' after it may be a password with a '/', '?' or '#' in it (which ends the"
    " host part) or a port and a path: percent-encode them in a password (%2F, %3F, %23), an '@' elsewhere as %40"
)


def ambiguous_password(url: str) -> str | None:
    """The password a URL may carry unread, or None. In ``http://ann:1234/x@h/`` a '/' (or '?', '#') in the
    password ends the host part: urllib and httpx read host 'ann', port 1234 and a path '/x@h/', where the
    writer meant user 'ann', password '1234/x' at host 'h'. Any netloc with a ':' (an IPv6 literal's aside)
    followed by an '@' later in the URL may be either, so such a URL is read as neither: refused, never
    shown, its would-be password masked where the URL is echoed back."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    netloc = parts.netloc
    if "@" in netloc or netloc.startswith("[") or ":" not in netloc:
        return None
    # On the text as given: urlsplit drops tabs and newlines, so its netloc may not be found in it.
    start = url.find("//") + 2
    at = url.find("@", start)
    colon = url.find(":", start, at)
    return url[colon + 1 : at] if 0 <= colon < at else None


def shown_url(url: object) -> str:
    """The URL as an error message names it: a message reaches the run's history and logs, and a plan may
    have written a credential into the URL itself (``user:pw@``, ``?token=``), where no secret reference
    masks it. Without user info or fragment, every query value (or bare query part) shown as ``…``; a URL
    with no host (``http:user:pw@host``, which urlsplit reads as a path) as its scheme alone, one whose
    host and port cannot be read (``http://ann:pw/d@host``) or whose user info is ambiguous
    (``http://ann:1234/d@host``, ``ambiguous_password``) as unreadable; at most
    SHOWN_URL_CHARS characters. The path is kept: it is what a 404 is about (a secret written there by
    reference is masked as every secret is)."""
    try:
        parts = urlsplit(str(url))
    except ValueError:
        return UNREADABLE
    if ambiguous_password(str(url)) is not None:
        return UNREADABLE
    host = parts.netloc.rpartition("@")[2]
    if not _HOST_PORT.fullmatch(host):
        return UNREADABLE
    if not parts.netloc:
        return f"{parts.scheme}:…" if parts.scheme else "…"
    masked = (f"{name}=…" if sep else "…" for name, sep, _ in (p.partition("=") for p in parts.query.split("&")))
    query = "&".join(masked) if parts.query else ""
    shown = urlunsplit((parts.scheme, host, parts.path, query, ""))
    return shown if len(shown) <= SHOWN_URL_CHARS else shown[: SHOWN_URL_CHARS - 1] + "…"


def url_credentials(url: str) -> list[str]:
    """What of a URL ``shown_url`` leaves out because it may be a credential (its password, its query
    values), for redaction to mask where the URL is echoed back whole: an endpoint's error body may name
    the URL it was asked."""
    try:
        parts = urlsplit(url)
        password = parts.password or ambiguous_password(url)
    except ValueError:
        return []
    return [value for value in (password, *(v for _, v in parse_qsl(parts.query))) if value]


def unreadable_because(exc: Exception) -> str:
    """Why a URL could not be read, in the words of urllib or httpx, without what they quote of it."""
    return _QUOTED.sub("…", str(exc)) or type(exc).__name__
