"""Settings read from environment variables, each parsed strictly in one place.

A yes/no setting takes 1, true, yes, on or 0, false, no, off (any case; the words pydantic reads for
TEMPORAL_TLS and ORCHESTRA_LLM_JSON_MODE); a number its digits (with the bounds it has); a choice one of
its words. Any other value is refused when settings are read (``Settings.from_env``: the worker's start
and every CLI command) with the variable's name and what it accepts: ``ORCHESTRA_SEMANTIC=of`` or
``ORCHESTRA_PLANNING_CACHE=disabled`` was read as on, ``ORCHESTRA_TOOL_HISTORY=off`` as on, a port of
``80a`` a traceback. An empty value is the default, as if unset. docs/operations.md lists them all.
"""

from __future__ import annotations

import argparse
import ipaddress
import math
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from orchestra.shown_url import AMBIGUOUS_USER_INFO, UNREADABLE, ambiguous_password, shown_url

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})
_INTEGER = re.compile(r"[0-9]+")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")


class SettingError(ValueError):
    """An environment variable's value the product does not take."""


@dataclass(frozen=True)
class _Kind:
    accepts: str  # what the refusal says is accepted
    check: Callable[[str], bool]
    # The word as its reader takes it: the check accepts any case and a leading ``~``, so the reader must
    # not be handed ``S3`` or ``~/data`` raw (pydantic refused ``S3``, a folder ``~`` was made in the cwd).
    normal: Callable[[str], str] = str
    # What is wrong with a refused word, when the kind can say more than what it accepts.
    reason: Callable[[str], str | None] = lambda word: None
    # The word as the refusal quotes it: a URL may carry a credential (``user:pw@``, ``?key=``).
    shown: Callable[[str], str] = lambda word: repr(word[:60])


def _within(pattern: re.Pattern[str], low: float, high: float) -> Callable[[str], bool]:
    # Finite: 400 digits read as a float are inf, a limit of seconds or workers taken as none at all.
    return lambda word: (
        pattern.fullmatch(word) is not None and math.isfinite(float(word)) and low <= float(word) <= high
    )


def _folder(word: str) -> bool:
    if "\x00" in word:
        return False
    try:
        path = Path(word).expanduser()
        return not path.exists() or path.is_dir()
    except (OSError, RuntimeError):  # a name too long, a folder not searchable, ~nosuchuser: no folder to use
        return False


FLAG = _Kind("1, true, yes or on (or 0, false, no, off)", lambda word: word.lower() in TRUE_WORDS | FALSE_WORDS)
PORT = _Kind("a port number, 1 to 65535", _within(_INTEGER, 1, 65535))
COUNT = _Kind("a whole number above 0", _within(_INTEGER, 1, float("inf")))
SIZE = _Kind("a whole number, 0 or more", _within(_INTEGER, 0, float("inf")))
# The sandbox's memory total in MiB, at most: a root worker writes it in bytes as its IPC namespace's shmmax, an
# unsigned long; past 2^64 bytes the kernel refused it and every spawn failed with a bare EINVAL (attack378).
MOST_MEMORY_TOTAL_MB = 2**63 // (1024 * 1024)
MEMORY_TOTAL = _Kind(
    f"a whole number of MiB, 1 to {MOST_MEMORY_TOTAL_MB:,}", _within(_INTEGER, 1, MOST_MEMORY_TOTAL_MB)
)
# The most tool calls one worker takes on at once (ORCHESTRA_MAX_ACTIVITIES): past 256, a burst on a loaded machine
# waits so long to start that its heartbeat clocks run out (worker.py's WORKER_TUNING, bench/busy_worker.py).
MOST_ACTIVITIES = 256
ACTIVITIES = _Kind(f"a whole number, 1 to {MOST_ACTIVITIES}", _within(_INTEGER, 1, MOST_ACTIVITIES))
# The smallest value limit a worker takes: a run sends a value of half as many bytes without reading its worker's limit
# (workflows/value_sizes.py), so a worker restarted with a smaller store cannot be handed one it refuses. A limit of
# 1 byte refused every plan's schedule, the record of any run.
SMALLEST_VALUE_LIMIT = 8 * 1024
VALUE_LIMIT = _Kind(
    f"a whole number of bytes, at least {SMALLEST_VALUE_LIMIT:,}", _within(_INTEGER, SMALLEST_VALUE_LIMIT, float("inf"))
)
# The longest a seconds setting may say: its reader bounds it (a model call of 1e300 s was never given up
# on), and a bound only the reader knew passed the worker's start and failed each model call after it.
MAX_SETTING_S = 86_400.0
SECONDS = _Kind(
    f"a number of seconds above 0, at most a day ({MAX_SETTING_S:,.0f}; e.g. 30 or 2.5)",
    lambda w: _within(_NUMBER, 0, MAX_SETTING_S)(w) and float(w) > 0,
)


def _space_problem(word: str) -> str | None:
    if any(ord(char) <= 32 or ord(char) == 127 for char in word):
        return "it holds a space, a line break or another control character"
    return None


def _url_problem(word: str) -> str | None:
    """Why httpx could not call ``word`` (None when it could): each of these passed the worker's start and
    failed the first model call with a raw InvalidURL, or port 99999 with an OverflowError in a group."""
    if (spaced := _space_problem(word)) is not None:
        return spaced
    try:
        parts = urlsplit(word)
    except ValueError:  # its text may quote the URL's host: said in our words
        return "it cannot be read as a URL (e.g. an IPv6 host's [ not closed)"
    try:
        port = parts.port
    except ValueError:
        return "its port is not a number from 1 to 65535"
    if parts.scheme.lower() not in ("http", "https"):
        return "its scheme is not http or https"
    if ambiguous_password(word) is not None:  # 'http://ann:1234/x@gw/v1' is host 'ann' to urllib and httpx
        return f"it cannot be read: {AMBIGUOUS_USER_INFO}"
    if not parts.hostname:
        return "it names no host"
    if "%" in parts.hostname:  # httpx keeps '%25eth0' in the host it resolves: every call 'cannot reach'
        return "its host holds a '%' (an IPv6 zone such as %25eth0 is not taken: give the address alone)"
    if port is not None and not 1 <= port <= 65535:
        return f"its port {port} is not 1 to 65535"
    import httpx  # only when a URL is set: an offline `plan` never loads it

    try:
        # A request, as the client builds one: its Host header encodes the host by IDNA, which httpx.URL
        # alone did not ("http://xn--a.example" passed, and each model call raised a raw InvalidCodepoint).
        httpx.Request("POST", word)
    except httpx.InvalidURL:
        return "httpx cannot read it as a URL"
    except UnicodeError:
        return "its host is not a name IDNA can encode"
    return None


def shown_base_url(url: str) -> str:
    """A base URL as a message names it: its scheme, host and port (``shown_url``), its path as ``/…``. The
    path is the operator's own setting, and a gateway may carry a key there (``/v1/sk-…``), where neither
    shown_url nor the masker knows one."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return shown_url(url)
    if shown_url(url) == UNREADABLE:  # its netloc alone ('http://ann:1234' of an ambiguous one) reads well
        return UNREADABLE
    rest = "/…" if parts.path.strip("/") or parts.query else ""
    return shown_url(f"{parts.scheme}://{parts.netloc}{rest}") if parts.netloc else shown_url(url)


URL = _Kind(
    "an http or https URL with a host (and a port of 1 to 65535)",
    lambda word: _url_problem(word) is None,
    reason=_url_problem,
    shown=lambda word: repr(shown_base_url(word)),
)


# A DNS label, bounded (63 characters), so that the check stays linear: an unbounded one took 4 s on 20,000.
_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?")
# Each would make the text a URL's: the SDK reads TEMPORAL_ADDRESS as 'http://' + it ('localhost/x:7233' is
# localhost's port 80, while the port guarded from tools was 7233; 'user@host:7233' sent 'user@' nowhere useful).
_ADDRESS_DELIMITERS = "/?#@\\"


def host_port_problem(word: str, *, port: bool | None, names: bool = True) -> str | None:
    """Why ``word`` is not a host (and port) a setting may name, None when it is one: a name or IPv4 address,
    an IPv6 one in [ ] (bare where no port follows), ``port`` True: ``:port`` required, None: allowed, False:
    refused; ``names`` False: an IP address only (Prometheus binds no name: 'localhost:9464' stopped the
    worker with 'invalid socket address syntax'). One check for every setting naming a host: each read its
    own way, 'user@h:80' or 'h' with no port was no endpoint at all, and ORCHESTRA_PROTECTED_ENDPOINTS
    dropped it unsaid, leaving the service it meant reachable from tools."""
    if "://" in word:
        return "it takes no scheme (http://, grpc://) before the host"
    if (spaced := _space_problem(word)) is not None:
        return spaced
    if "%" in word:  # a zone: Prometheus refuses a named one, and the guard compares addresses without it
        return "its host holds a '%' (an IPv6 zone such as %eth0 is not taken: give the address alone)"
    if delimiter := next((char for char in word if char in _ADDRESS_DELIMITERS), None):
        return f"its host holds {delimiter!r}, a URL's delimiter: it would be read as another host or port"
    if not word.isascii():  # fullwidth '127.0.0.1' was bound as 127.0.0.1 by IDNA: a digit of another script
        return "it holds a character that is not ASCII (a name goes in its xn-- form)"
    if port is not False and word.count(":") > 1 and not word.startswith("["):
        from orchestra.network import unbracketed_ipv6_problem  # the host rules' own reading, said alike

        if (why := unbracketed_ipv6_problem(word, port_required=bool(port))) is not None:
            return f"it {why}"
    host, port_text = _split_host_port(word, bare_ipv6=port is False)
    if not host:
        return "it names no host (an IPv6 one in [ ])"
    if port_text is None and port:
        return "it names no port"
    if port_text is not None and port is False:
        return "it takes a host alone, no port (the port is its own setting)"
    if port_text is not None and not (port_text.isdigit() and 1 <= int(port_text) <= 65535):
        return "its port is not a number from 1 to 65535"
    if not _is_ip(host) and (not names or not _is_name(host)):
        if not names:
            return "its host is not an IP address (a name such as localhost is not taken: 127.0.0.1 or [::1])"
        return "its host is not a name or an IP address"
    return None


def _split_host_port(word: str, *, bare_ipv6: bool) -> tuple[str | None, str | None]:
    """The host (None when it cannot be read: an unclosed [, text after ]) and the port's text, if any."""
    if word.startswith("["):
        inside, closed, rest = word[1:].partition("]")
        if not closed or (rest and not rest.startswith(":")) or ":" not in inside:
            return None, None
        return f"[{inside}]", rest[1:] if rest else None
    if bare_ipv6 and word.count(":") > 1:
        return word, None
    host, colon, port_text = word.rpartition(":")
    if not colon:
        return word, None
    return (None if ":" in host else host), port_text


def _is_name(host: str) -> bool:
    """``host`` is a DNS name: at most 253 characters, of labels of letters, digits, '-' and '_'."""
    return len(host) <= 253 and all(_LABEL.fullmatch(label) for label in host.removesuffix(".").split("."))


def _is_ip(host: str) -> bool:
    """``host`` is an IP address (an IPv6 one in [ ], or bare where no port follows), not a name."""
    try:
        ipaddress.ip_address(host.removeprefix("[").removesuffix("]"))
    except ValueError:
        return False
    return True


def _shown_host(word: str) -> str:
    """A host setting's value as its refusal names it: what may be user info, up to an entry's last '@', as
    '…@' ('u:pw@h:7233' showed the password it refused), in one pass (a pattern took seconds on a long one)."""
    entries = []
    for entry in word.split(","):
        scheme, sep, rest = entry.rpartition("://") if "://" in entry else ("", "", entry)
        entries.append(scheme + sep + ("…@" + rest.rpartition("@")[2] if "@" in rest else rest))
    return repr(",".join(entries)[:60])


def _entries_problem(word: str, problem: Callable[[str], str | None]) -> str | None:
    """The first entry of a comma-separated list ``problem`` refuses, and why. A blank entry (a trailing comma)
    is skipped; a list of blanks alone names nothing: ORCHESTRA_ALLOWED_HOSTS=',' left no host allowed, and
    ORCHESTRA_PROTECTED_ENDPOINTS=',' no endpoint guarded, where blank is the default."""
    if not any(item.strip() for item in word.split(",")):
        return "it names no entry, only commas (leave it unset or blank for the default)"
    for entry in (item.strip() for item in word.split(",")):
        if entry and (why := problem(entry)) is not None:
            return f"its entry {_shown_host(entry)}: {why}"
    return None


def _rule_problem(entry: str) -> str | None:
    """Why network.parse_rule cannot read an ORCHESTRA_ALLOWED_HOSTS entry: it was read at the first HTTP
    tool call, which failed (each call of every run) while the worker had started as if all were well."""
    from orchestra import network  # the boundary's own reader, loaded only where the setting is given

    if "://" in entry:
        return "it takes no scheme (http://) before the host"
    if (spaced := _space_problem(entry)) is not None:  # 'api example.com' was a rule no host has
        return spaced
    if odd := next((char for char in entry if char in "%@#\\" or not char.isascii()), None):
        return f"it holds {odd!r}, which no host rule takes"
    try:
        network.parse_rule(entry)
    except ValueError as exc:
        return f"it cannot be read ({exc})"
    return None


def _origin_problem(entry: str) -> str | None:
    """Why a browser never sends ``entry`` as its Origin (scheme, host and port alone): the codec server
    compares the header as written, and 'http://localhost:8233/' or one with a path matched no request, so
    the Web UI was refused with no word of why."""
    if entry == "*":
        return "'*' would let any web page decrypt: name the Web UI's origin"
    if (problem := _url_problem(entry)) is not None:
        return problem
    parts = urlsplit(entry)
    if parts.path or parts.query or parts.fragment or "@" in parts.netloc:
        return "an origin is a scheme, host and port alone (no path, not even a trailing '/', nor user info)"
    return None


def _kind_of_host(accepts: str, problem: Callable[[str], str | None], normal: Callable[[str], str] = str) -> _Kind:
    return _Kind(accepts, lambda word: problem(word) is None, normal, problem, _shown_host)


ADDRESS = _kind_of_host(
    "host:port, a port of 1 to 65535 and no scheme (e.g. localhost:7233 or [::1]:7233)",
    lambda word: host_port_problem(word, port=True),
)
LISTEN_ADDRESS = _kind_of_host(
    "an IP address and port to listen on (e.g. 0.0.0.0:9464 or [::1]:9464), a port of 1 to 65535",
    lambda word: host_port_problem(word, port=True, names=False),
)
LISTEN_HOST = _kind_of_host(
    "a host name or IP address to listen on, with no port (e.g. 127.0.0.1, 0.0.0.0, ::1 or [::1])",
    lambda word: host_port_problem(word, port=False),
    lambda word: word[1:-1] if word.startswith("[") else word,
)
SERVER_NAME = _kind_of_host(
    "the host name (or IP address) the server's certificate names, with no port",
    lambda word: host_port_problem(word, port=False),
    lambda word: word[1:-1] if word.startswith("[") else word,
)
ORIGINS = _kind_of_host(
    "web origins, comma-separated, each scheme://host[:port] (e.g. http://localhost:8233)",
    lambda word: _entries_problem(word, _origin_problem),
)
HOST_HEADERS = _kind_of_host(
    "host names, comma-separated, each with a port or not (localhost, codec.internal:443, [::1]:8081)",
    lambda word: _entries_problem(word, lambda entry: host_port_problem(entry, port=None)),
)
ENDPOINTS = _kind_of_host(
    "host:port entries, comma-separated (e.g. ui.internal:8080, [fd00::5]:443)",
    lambda word: _entries_problem(word, lambda entry: host_port_problem(entry, port=True)),
)
HOST_RULES = _kind_of_host(
    "host rules, comma-separated: a name or glob, an IP address or network (CIDR), each with :port or not",
    lambda word: _entries_problem(word, _rule_problem),
)
FOLDER = _Kind("a folder (a path that is not a file)", _folder, lambda word: str(Path(word).expanduser()))


def certificate_problem(word: str) -> str | None:
    """Why the file ``word`` names holds no certificate (PEM) the TLS library reads, None when it holds one:
    the OTLP exporter read OTEL_EXPORTER_OTLP_CERTIFICATE only as it sent spans, and a path to nothing or to
    another file failed every export, unsaid at start."""
    import ssl

    try:
        data = Path(word).read_bytes()  # as the exporter reads it: a '~' is no home to it
    except (OSError, RuntimeError, ValueError) as exc:
        return f"it cannot be read ({getattr(exc, 'strerror', None) or exc})"
    if b"-----BEGIN CERTIFICATE-----" not in data:
        return "it holds no certificate in PEM form ('-----BEGIN CERTIFICATE-----')"
    try:
        ssl.create_default_context(cadata=data.decode("ascii"))
    except (ssl.SSLError, UnicodeDecodeError, ValueError) as exc:
        return f"it holds no certificate that can be read ({exc})"
    return None


CERTIFICATE_FILE = _Kind(
    "a file of CA certificates in PEM form",
    lambda word: certificate_problem(word) is None,
    reason=certificate_problem,
)

# A header's name (an HTTP token) and value as the OTLP exporter reads them (its 'liberal' form: a space
# allowed, no '"', ',', ';' or '\\'); an entry it cannot read it drops, logging the entry: a key with it.
_HEADER_NAME = re.compile(r"[\x21\x23-\x27\x2a\x2b\x2d\x2e\x30-\x39\x41-\x5a\x5e-\x7a\x7c\x7e]+")
_HEADER_VALUE = re.compile(r"[\x20\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*")


def _headers_problem(word: str) -> str | None:
    for number, entry in enumerate(word.split(","), 1):
        name, equals, header = entry.strip(" \t").partition("=")
        if not entry.strip(" \t"):
            continue
        if not equals or not _HEADER_NAME.fullmatch(name.strip(" \t")):
            return f"its entry {number} is no name=value (a header name is letters, digits and !#$%&'*+-.^_`|~)"
        if not _HEADER_VALUE.fullmatch(header.strip(" \t")):
            return f"its entry {number}'s value holds a character a header cannot carry (URL-encode it)"
    return None


HEADERS = _Kind(
    "HTTP headers, comma-separated, each name=value (e.g. authorization=Bearer%20…)",
    lambda word: _headers_problem(word) is None,
    reason=_headers_problem,
    shown=lambda word: "(not shown: it may hold a key)",  # a header is where a collector's key goes
)


def _one_of(*words: str) -> _Kind:
    return _Kind("one of " + ", ".join(words), lambda word: word.lower() in words, str.lower)


def _some_of(*words: str) -> _Kind:
    return _Kind(
        "one or more of " + ", ".join(words) + ", comma-separated",
        lambda word: all(part.strip().lower() in words for part in word.split(",") if part.strip()),
        str.lower,
    )


# Every variable the product reads that takes other than free text (addresses, names, keys, lists).
SETTINGS: dict[str, _Kind] = {
    "TEMPORAL_TLS": FLAG,
    "ORCHESTRA_LLM_JSON_MODE": FLAG,
    "ORCHESTRA_PLAN_TYPES": FLAG,
    "ORCHESTRA_PLANNING_CACHE": FLAG,
    "ORCHESTRA_SEMANTIC": FLAG,
    "ORCHESTRA_TOOL_HISTORY": FLAG,
    "ORCHESTRA_CODEC_REQUIRE_ENCRYPTED": FLAG,
    "OTEL_SDK_DISABLED": FLAG,
    "ORCHESTRA_UI_PORT": PORT,
    "ORCHESTRA_DEMO_SITE_PORT": PORT,
    "ORCHESTRA_CODEC_SERVER_PORT": PORT,
    "ORCHESTRA_MAX_OUTPUT_BYTES": COUNT,
    "ORCHESTRA_MAX_RESOLVED_ARGS_BYTES": COUNT,
    "ORCHESTRA_STORAGE_THRESHOLD_BYTES": SIZE,
    "ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES": VALUE_LIMIT,
    "ORCHESTRA_PLAN_PIECE_STEPS": COUNT,
    "ORCHESTRA_PLAN_PIECE_BYTES": COUNT,
    "ORCHESTRA_SANDBOX_UID": SIZE,
    "ORCHESTRA_SANDBOX_MEMORY_MB": COUNT,
    "ORCHESTRA_SANDBOX_FILE_MB": COUNT,
    "ORCHESTRA_SANDBOX_PROCESSES": COUNT,
    "ORCHESTRA_SANDBOX_MEMORY_TOTAL_MB": MEMORY_TOTAL,
    "ORCHESTRA_MAX_ACTIVITIES": ACTIVITIES,
    "ORCHESTRA_LOCAL_WORKERS": COUNT,
    "ORCHESTRA_LOCAL_MEMORY_MB": COUNT,
    "ORCHESTRA_LOCAL_TIME_LIMIT_S": SECONDS,
    "ORCHESTRA_LLM_TIMEOUT_S": SECONDS,
    "ORCHESTRA_HEARTBEAT_EVERY_S": SECONDS,
    "ORCHESTRA_STORAGE": _one_of("folder", "s3", "off"),
    "ORCHESTRA_SANDBOX": _one_of("auto", "bwrap", "off"),
    "ORCHESTRA_LOG_FORMAT": _one_of("json", "console"),
    # Every name the logging module's setLevel took before this check (fatal, notset started a worker).
    "ORCHESTRA_LOG_LEVEL": _one_of("debug", "info", "warning", "warn", "error", "critical", "fatal", "notset"),
    "TEMPORAL_ADDRESS": ADDRESS,
    "ORCHESTRA_METRICS_ADDRESS": LISTEN_ADDRESS,
    "ORCHESTRA_CODEC_SERVER_HOST": LISTEN_HOST,
    "ORCHESTRA_CODEC_SERVER_HOSTS": HOST_HEADERS,
    "ORCHESTRA_CODEC_CORS_ORIGINS": ORIGINS,
    "TEMPORAL_TLS_SERVER_NAME": SERVER_NAME,
    "ORCHESTRA_PROTECTED_ENDPOINTS": ENDPOINTS,
    "ORCHESTRA_ALLOWED_HOSTS": HOST_RULES,
    "ORCHESTRA_LLM_BASE_URL": URL,
    "OPENAI_BASE_URL": URL,
    "ORCHESTRA_S3_ENDPOINT_URL": URL,
    # Read by the OTLP exporter itself: an ambiguous one ('http://ann:4318/pw@collector') sent spans to 'ann'.
    "OTEL_EXPORTER_OTLP_ENDPOINT": URL,
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": URL,
    # Each was read by the exporter, which started without a word: grpc sent nothing (an http exporter is
    # the one installed), an unreadable header or timeout was dropped for the default with a log line.
    "OTEL_TRACES_EXPORTER": _some_of("otlp", "console", "none"),
    "OTEL_EXPORTER_OTLP_PROTOCOL": _one_of("http/protobuf"),
    "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": _one_of("http/protobuf"),
    "OTEL_EXPORTER_OTLP_HEADERS": HEADERS,
    "OTEL_EXPORTER_OTLP_TRACES_HEADERS": HEADERS,
    "OTEL_EXPORTER_OTLP_TIMEOUT": SECONDS,  # seconds, as the Python exporter reads it (the spec says ms)
    "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT": SECONDS,
    "OTEL_EXPORTER_OTLP_CERTIFICATE": CERTIFICATE_FILE,  # as TEMPORAL_TLS_SERVER_CA_CERT_PATH is read (connect.py)
    "OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE": CERTIFICATE_FILE,
    "ORCHESTRA_DATA_DIR": FOLDER,
    "ORCHESTRA_WORKSPACE": FOLDER,
    "ORCHESTRA_STORAGE_DIR": FOLDER,
}


# A setting read only where another is not given: OPENAI_BASE_URL, left set for another program, is never
# read while ORCHESTRA_LLM_BASE_URL is, so it is not checked then either (an unreadable one stopped the worker).
READ_UNLESS: dict[str, str] = {"OPENAI_BASE_URL": "ORCHESTRA_LLM_BASE_URL"}


def value(name: str, env: Mapping[str, str] | None = None) -> str | None:
    """The variable's value, checked against what it takes and as its reader takes it (stripped, a choice
    in lower case, a folder's ``~`` expanded); None when unset, empty or blank."""
    word = (os.environ if env is None else env).get(name, "").strip()
    if not word:
        return None
    kind = SETTINGS[name]
    if (refused := refusal(name, kind, word)) is not None:
        raise SettingError(refused)
    return kind.normal(word)


def refusal(name: str, kind: _Kind, word: str) -> str | None:
    """Why ``word`` is not a value ``name`` takes, in the one form every reader of a setting says it (a
    variable at start, a model's field given in code), or None where it is one."""
    if kind.check(word):
        return None
    return f"{name}={kind.shown(word)} is not a value it takes: {why_refused(kind, word)}"


def why_refused(kind: _Kind, word: str) -> str:
    """What is wrong with a word ``kind`` refuses, and what it takes: a setting's refusal and its flag's."""
    reason = kind.reason(word)
    return f"{reason}; it takes {kind.accepts}" if reason else f"it takes {kind.accepts}"


def flag(name: str, default: bool, env: Mapping[str, str] | None = None) -> bool:
    word = value(name, env)
    return default if word is None else word.lower() in TRUE_WORDS


# Read by the OTLP exporter alone: left set for another program while this one exports no OTLP (no endpoint, or
# OTEL_SDK_DISABLED), they are not read here either (a grpc protocol meant for another client stopped every start).
READ_BY_OTLP_EXPORT = frozenset(
    f"OTEL_EXPORTER_OTLP{part}_{what}"
    for part in ("", "_TRACES")
    for what in ("PROTOCOL", "HEADERS", "TIMEOUT", "CERTIFICATE")
)


def trace_exporters(env: Mapping[str, str] | None = None) -> list[str]:
    """The span exporters named (lower case, as written): OTEL_TRACES_EXPORTER, or unset ``otlp`` where an endpoint
    is set, else ``none``; none at all with OTEL_SDK_DISABLED."""
    given = os.environ if env is None else env
    if flag("OTEL_SDK_DISABLED", False, env):
        return []
    endpoint = given.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or given.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    return [
        name.strip().lower() for name in given.get("OTEL_TRACES_EXPORTER", "otlp" if endpoint else "none").split(",")
    ]


def otlp_exported(env: Mapping[str, str] | None = None) -> bool:
    """Whether spans are sent by OTLP."""
    return "otlp" in trace_exporters(env)


def check_environment(env: Mapping[str, str] | None = None) -> None:
    """Every setting's value checked at once; one SettingError naming each that is wrong."""
    given = os.environ if env is None else env
    problems = []
    exported = None
    for name in SETTINGS:
        if name in READ_UNLESS and given.get(READ_UNLESS[name], "").strip():
            continue
        if name in READ_BY_OTLP_EXPORT:
            try:
                exported = otlp_exported(env) if exported is None else exported
            except SettingError:
                exported = True  # OTEL_SDK_DISABLED unreadable: said by its own check; these are checked too
            if not exported:
                continue
        try:
            value(name, env)
        except SettingError as exc:
            problems.append(str(exc))
    if problems:
        raise SettingError("; ".join(problems))


def refuse_bad_settings() -> None:
    """Exits (2) naming each setting given a word it does not take, in one line: a process's first step
    (the worker, the codec server, ``python -m orchestra.network`` and ``orchestra.sandbox``, which printed
    a SettingError's traceback)."""
    try:
        check_environment()
    except SettingError as exc:
        say_bad_settings(exc)
        raise SystemExit(2) from None


def say_bad_settings(exc: SettingError) -> None:
    """The one wording of a refused setting, the CLI's ('error: bad settings: …'): the worker said it without
    'error: ' and the codec server with it. In the process's log's format, as the lines the worker writes itself."""
    from orchestra.telemetry.own_lines import say  # in the log's format (JSON lines off a terminal): not at import

    say(f"error: bad settings: {exc}", logger="orchestra.environment", level="error", stream=sys.stderr)


def port_argument(text: str) -> int:
    """An argparse type: a port to listen on, 0 for any free one (``--port`` of the codec server and the
    demo site): 99999 reached bind(), whose OverflowError was a traceback."""
    if not text.strip().isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is no port: it takes 0 to 65535 (0: any free port)")
    return int(text)


def argument_of(kind: _Kind) -> Callable[[str], str]:
    """An argparse type taking what ``kind`` takes, as its setting reads it (``--host`` of the codec server, as
    ORCHESTRA_CODEC_SERVER_HOST): a usage error saying why, where '[::1]' was a bare 'Name or service not known'."""

    def read(text: str) -> str:
        word = text.strip()
        if not kind.check(word):
            raise argparse.ArgumentTypeError(f"{kind.shown(word)}: {why_refused(kind, word)}")
        return kind.normal(word)

    return read
