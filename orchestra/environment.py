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
import math
import os
import re
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
# The longest a seconds setting may say: its reader bounds it (a model call of 1e300 s was never given up
# on), and a bound only the reader knew passed the worker's start and failed each model call after it.
MAX_SETTING_S = 86_400.0
SECONDS = _Kind(
    f"a number of seconds above 0, at most a day ({MAX_SETTING_S:,.0f}; e.g. 30 or 2.5)",
    lambda w: _within(_NUMBER, 0, MAX_SETTING_S)(w) and float(w) > 0,
)


def _url_problem(word: str) -> str | None:
    """Why httpx could not call ``word`` (None when it could): each of these passed the worker's start and
    failed the first model call with a raw InvalidURL, or port 99999 with an OverflowError in a group."""
    if any(ord(char) <= 32 or ord(char) == 127 for char in word):
        return "it holds a space, a line break or another control character"
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


def _address_problem(word: str) -> str | None:
    """Why Temporal's client cannot connect to ``word`` as ``host:port`` (None when it can be tried): a scheme
    was put before it again ("http://host:7233", a DNS error on "http"), a port of 99999 was a ValueError."""
    if "://" in word:
        return "it takes no scheme (http://, grpc://) before the host"
    if any(ord(char) <= 32 or ord(char) == 127 for char in word):
        return "it holds a space, a line break or another control character"
    host, colon, port = word.rpartition(":")
    if not colon:
        return "it names no port"
    if not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        return "its port is not a number from 1 to 65535"
    bracketed = host.startswith("[") and host.endswith("]") and ":" in host
    if not host or (("[" in host or "]" in host or ":" in host) and not bracketed):
        return "it names no host (an IPv6 one in [ ])"
    if delimiter := next((char for char in host if char in _ADDRESS_DELIMITERS), None):
        # The SDK reads it as the URL 'http://' + word: 'localhost/x:7233' is localhost's port 80, while
        # the port guarded from tools was 7233; 'user@host:7233' sent 'user@' nowhere useful.
        return f"its host holds {delimiter!r}, a URL's delimiter: the client would reach another host or port"
    return None


_ADDRESS_DELIMITERS = "/?#@\\%"


ADDRESS = _Kind(
    "host:port, a port of 1 to 65535 and no scheme (e.g. localhost:7233 or [::1]:7233)",
    lambda word: _address_problem(word) is None,
    reason=_address_problem,
)
FOLDER = _Kind("a folder (a path that is not a file)", _folder, lambda word: str(Path(word).expanduser()))


def _one_of(*words: str) -> _Kind:
    return _Kind("one of " + ", ".join(words), lambda word: word.lower() in words, str.lower)


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
    "ORCHESTRA_STORAGE_THRESHOLD_BYTES": SIZE,
    "ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES": COUNT,
    "ORCHESTRA_SANDBOX_UID": SIZE,
    "ORCHESTRA_SANDBOX_MEMORY_MB": COUNT,
    "ORCHESTRA_SANDBOX_FILE_MB": COUNT,
    "ORCHESTRA_SANDBOX_PROCESSES": COUNT,
    "ORCHESTRA_LOCAL_WORKERS": COUNT,
    "ORCHESTRA_LOCAL_MEMORY_MB": COUNT,
    "ORCHESTRA_LOCAL_TIME_LIMIT_S": SECONDS,
    "ORCHESTRA_LLM_TIMEOUT_S": SECONDS,
    "ORCHESTRA_STORAGE": _one_of("folder", "s3", "off"),
    "ORCHESTRA_SANDBOX": _one_of("auto", "bwrap", "off"),
    "ORCHESTRA_LOG_FORMAT": _one_of("json", "console"),
    # Every name the logging module's setLevel took before this check (fatal, notset started a worker).
    "ORCHESTRA_LOG_LEVEL": _one_of("debug", "info", "warning", "warn", "error", "critical", "fatal", "notset"),
    "TEMPORAL_ADDRESS": ADDRESS,
    "ORCHESTRA_LLM_BASE_URL": URL,
    "OPENAI_BASE_URL": URL,
    "ORCHESTRA_S3_ENDPOINT_URL": URL,
    # Read by the OTLP exporter itself: an ambiguous one ('http://ann:4318/pw@collector') sent spans to 'ann'.
    "OTEL_EXPORTER_OTLP_ENDPOINT": URL,
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": URL,
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


def check_environment(env: Mapping[str, str] | None = None) -> None:
    """Every setting's value checked at once; one SettingError naming each that is wrong."""
    given = os.environ if env is None else env
    problems = []
    for name in SETTINGS:
        if name in READ_UNLESS and given.get(READ_UNLESS[name], "").strip():
            continue
        try:
            value(name, env)
        except SettingError as exc:
            problems.append(str(exc))
    if problems:
        raise SettingError("; ".join(problems))


def port_argument(text: str) -> int:
    """An argparse type: a port to listen on, 0 for any free one (``--port`` of the codec server and the
    demo site): 99999 reached bind(), whose OverflowError was a traceback."""
    if not text.strip().isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is no port: it takes 0 to 65535 (0: any free port)")
    return int(text)
