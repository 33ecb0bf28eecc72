"""Secrets for tool arguments: ``${secrets.NAME}`` in a plan, ``ORCHESTRA_SECRET_NAME`` on the worker.

Resolved in the activity, just before the tool runs, so the workflow history only ever holds the
reference. Resolved values are masked in the tool's output and errors, which do go into the history,
in every form they commonly travel in: as they are, percent-encoded (``%2B`` or ``%2b``, ``+`` or
``%20`` for a space, even twice), JSON-escaped (``\\u00e9``, ``\\/``), HTML-escaped (``&amp;``,
``&#039;``, ``&#x2b;``, any HTML5 name, a number without its ``;``: an error page quoting what it was
sent), as Python's ``repr`` writes a str or bytes (``\\'``, ``\\xc3\\xa9``: an exception message
quoting a value), either escaped once more (JSON inside a JSON string), composed or decomposed, base64 (standard or URL-safe,
with or without padding, at any offset inside a longer base64 text, as in ``Basic`` credentials), hex,
UTF-8 read as Latin-1 or Windows-1252, and UTF-16 or UTF-32 read as single bytes (a body sent in one
and labelled as another). :class:`Masker`
is the one place that knows these forms; the log redaction uses it too.
"""

from __future__ import annotations

import base64
import functools
import html.entities
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from orchestra.errors import ToolValidationError

SECRET_REFERENCE = re.compile(r"\$\{\s*secrets\.([A-Za-z0-9_]+)\s*\}")
_LOOSE_REFERENCE = re.compile(r"\$\{(?:\s|\\[tnrfb]|\\u[0-9a-fA-F]{4})*secrets\.")
ENV_PREFIX = "ORCHESTRA_SECRET_"
MASK = "***"
MIN_ENCODED_LENGTH = 4  # shorter secrets are masked as they are only: their encodings would match noise
# Up to this many zeros before a character reference's digits (PHP writes ``&#039;``); more would let a
# form grow without bound, past the margin a text cut short loses (``longest_form``).
REFERENCE_ZEROS = 3
WIDE_ENCODINGS = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
JSON_ESCAPES = {'"': '\\"', "\\": "\\\\", "/": "\\/", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def env_name(name: str) -> str:
    return ENV_PREFIX + name.upper()


def misplaced_secrets(args: Mapping[str, Any], secret_args: Sequence[str]) -> list[str]:
    """Argument names that use a secret but are not among the tool's ``secret_args``. Elsewhere a tool
    may transform the value (extract, encode, write then read) past any masking, into the history."""
    return sorted(name for name, value in args.items() if name not in secret_args and uses_secret(value))


def uses_secret(value: Any) -> bool:
    if isinstance(value, str):
        return SECRET_REFERENCE.search(value) is not None
    if isinstance(value, Mapping):
        return any(uses_secret(v) for v in value.values())
    if isinstance(value, list):
        return any(uses_secret(v) for v in value)
    return False


def names_secret(text: str) -> bool:
    """Whether ``text`` — a string, or a value's JSON — may name a secret: looser than
    ``SECRET_REFERENCE`` (whitespace may be JSON-escaped), so it may say yes where ``uses_secret`` on the
    value says no, never the reverse."""
    return _LOOSE_REFERENCE.search(text) is not None


def resolve_secrets(value: Any, env: Mapping[str, str] | None = None) -> tuple[Any, list[str]]:
    """Replace every ``${secrets.NAME}`` in ``value``; return the new value and the secrets used."""
    source = os.environ if env is None else env
    used: list[str] = []

    def one(match: re.Match[str]) -> str:
        variable = env_name(match.group(1))
        if not source.get(variable):
            raise ToolValidationError(
                f"secret {match.group(1)!r} is not set on the worker (environment variable {variable})",
                code="missing_secret",
            )
        used.append(source[variable])
        return source[variable]

    def walk(item: Any) -> Any:
        if isinstance(item, str):
            return SECRET_REFERENCE.sub(one, item)
        if isinstance(item, Mapping):
            return {k: walk(v) for k, v in item.items()}
        if isinstance(item, list):
            return [walk(v) for v in item]
        return item

    return walk(value), used


def _hex(value: int, digits: int) -> str:
    """A hex number matched in either case: 2b -> 2[bB]."""
    return "".join(f"[{d}{d.upper()}]" if d.isalpha() else d for d in f"{value:0{digits}x}")


def _html_names() -> dict[str, list[str]]:
    """Each character's HTML5 named references (``&commat;``, ``&plus;``, ``&AMP``, ``&eacute;``)."""
    names: dict[str, list[str]] = {}
    for name, char in html.entities.html5.items():
        if len(char) == 1 and name.endswith(";"):
            names.setdefault(char, []).append(name[:-1])
    return names


HTML_NAMES = _html_names()
# A backslash escape written once (JSON, repr) or escaped again (JSON inside a JSON string: ``\\u00e9``,
# ``\\\"``): its backslash doubled, and a quote or backslash after it escaped in turn.
BACKSLASHES = r"\\{1,2}"
ESCAPED_AGAIN = r"\\{1,3}"
_REFERENCE_TAIL = ";?"  # HTML5 reads ``&#39`` (no semicolon) as ``'`` too


def _escapes(char: str) -> list[str]:
    """How JSON and Python's ``repr`` escape ``char``, each as a sequence of backslash escapes."""
    data = char.encode()
    code = ord(char)
    escapes = [[JSON_ESCAPES[char][1:]]] if char in JSON_ESCAPES else []
    if char == "'":
        escapes.append(["'"])
    if code < 0x10000:
        escapes.append(["u" + _hex(code, 4)])
    else:
        high, low = 0xD800 + ((code - 0x10000) >> 10), 0xDC00 + ((code - 0x10000) & 0x3FF)
        escapes += [["u" + _hex(high, 4), "u" + _hex(low, 4)], ["U" + _hex(code, 8)]]
    if code < 0x100:
        escapes.append(["x" + _hex(code, 2)])
    if len(data) > 1:
        escapes.append(["x" + _hex(byte, 2) for byte in data])
    return ["".join(_escape(part) for part in escape) for escape in escapes]


def _escape(part: str) -> str:
    if part in ('"', "\\"):
        return ESCAPED_AGAIN + re.escape(part)
    return BACKSLASHES + (re.escape(part) if len(part) == 1 else part)


def _char(char: str) -> str:
    """Every way one character of a secret may be written: itself, percent-encoded (once or twice),
    ``+`` for a space, JSON-escaped or as ``repr`` writes it in a str (``\\'``, ``\\x7f``,
    ``\\U0001f511``) or bytes (``\\xNN`` for each byte of its UTF-8), once or twice, HTML-escaped (by
    any HTML5 name or by number)."""
    data = char.encode()
    code = ord(char)
    options = [re.escape(char), "".join(f"%(?:25)?{_hex(byte, 2)}" for byte in data), *_escapes(char)]
    if char == " ":
        options.append(r"\+")
    zeros = f"0{{0,{REFERENCE_ZEROS}}}"
    options += [f"&#{zeros}{code}{_REFERENCE_TAIL}", f"&#[xX]{zeros}{_hex(code, len(f'{code:x}'))}{_REFERENCE_TAIL}"]
    options += [f"&{name};" for name in HTML_NAMES.get(char, ())]
    return "(?:" + "|".join(options) + ")"


def _binary_forms(secret: str) -> set[str]:
    """Base64 of the secret at each offset in a longer text (only the characters that depend on the
    secret alone), standard and URL-safe alphabets; hex; its UTF-8 read as Latin-1 or Windows-1252 (a
    body labelled with the wrong charset) and UTF-16 and UTF-32 as single bytes read them."""
    data = secret.encode()
    forms = {data.hex(), data.hex().upper(), *(secret.encode(wide).decode("latin-1") for wide in WIDE_ENCODINGS)}
    forms |= {data.decode("latin-1"), data.decode("cp1252", "replace")} - {secret}
    for offset in range(3):
        encoded = base64.b64encode(bytes(offset) + data).decode()
        core = encoded[-(-offset * 8 // 6) : (offset + len(data)) * 8 // 6]
        forms |= {core, core.translate(str.maketrans("+/", "-_"))}
    return {form for form in forms if len(form) >= MIN_ENCODED_LENGTH}


def secret_pattern(secret: str) -> str:
    """A regular expression matching ``secret`` in any of the forms above, composed or decomposed
    (``é`` or ``e`` and a combining accent: a server that normalises what it quotes)."""
    if len(secret) < MIN_ENCODED_LENGTH:
        return re.escape(secret)
    literal = sorted(_binary_forms(secret), key=len, reverse=True)
    spellings = dict.fromkeys(unicodedata.normalize(form, secret) for form in ("NFC", "NFD"))
    return "|".join([*("".join(_char(c) for c in spelling) for spelling in spellings), *map(re.escape, literal)])


def _longest_char(char: str) -> int:
    """The most characters one of ``_char``'s forms of ``char`` takes."""
    data = char.encode()
    escaped = 7 * (2 if ord(char) >= 0x10000 else 1)  # \\uXXXX (escaped twice) per UTF-16 unit
    reference = len("&#x;") + REFERENCE_ZEROS + len(f"{ord(char):x}")
    named = max((len(name) + 2 for name in HTML_NAMES.get(char, ())), default=0)
    return max(5 * len(data), escaped, reference, named)


def longest_form(secrets: Iterable[str]) -> int:
    """The most characters any form above may take for one of ``secrets`` (a character's longest form,
    each; base64, hex and the single-byte readings are no longer)."""
    return max(
        (
            sum(_longest_char(c) for c in spelling)
            for s in secrets
            for spelling in {unicodedata.normalize(form, s) for form in ("NFC", "NFD")}
        ),
        default=0,
    )


class Masker:
    """Replaces every form of the given secrets with ``mask``, in text and in JSON-like values. Only whole
    ones: masking the beginning of one at the end of a text would tell whoever chose that text whether it
    begins a secret (a character at a time); texts a cap cut short lose their end instead
    (``ToolContext.cut_end``)."""

    def __init__(self, secrets: Iterable[str], mask: str = MASK, as_written: Iterable[str] = ()) -> None:
        """``as_written``: values masked only as they are, not in every form (what a plan chose: the
        pattern of every form costs about a millisecond of the GIL per 4 characters to build)."""
        self.mask = mask
        # One compiled pattern per secret, longest first, not one alternation of them all: the log
        # redaction remembers up to thousands of values (an http_request's headers, chosen by a plan),
        # and compiling their union anew for each value added took seconds holding the GIL (quadratic).
        every = {s for s in secrets if s}
        plain = {s for s in as_written if s} - every
        ordered = sorted([*((s, True) for s in every), *((s, False) for s in plain)], key=lambda p: len(p[0]))
        self._regexes = [_compiled(s) if forms else _literal(s) for s, forms in reversed(ordered)]

    def text(self, text: str) -> str:
        for regex in self._regexes:
            text = regex.sub(self.mask, text)
        return text

    def value(self, value: Any) -> Any:
        if not self._regexes:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {self.value(k): self.value(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.value(v) for v in value]
        return value


@functools.lru_cache(maxsize=4096)  # above the log redaction's MAX_REMEMBERED
def _compiled(secret: str) -> re.Pattern[str]:
    return re.compile(secret_pattern(secret))


@functools.lru_cache(maxsize=4096)
def _literal(value: str) -> re.Pattern[str]:
    return re.compile(re.escape(value))


def mask_secrets(value: Any, secrets: list[str]) -> Any:
    """``value`` with every occurrence of the given secret values, in any common encoding, replaced by ``***``."""
    return Masker(secrets).value(value)
