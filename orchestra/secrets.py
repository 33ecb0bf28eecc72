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
and labelled as another); and the forms next to these (docs/security.md lists them): any letter case,
other binary encodings (base32, base85, wrapped base64...), its bytes as lists of numbers (hex dumps,
C arrays, ``list(bytes)``, its UTF-16LE in hex), other languages' escapes, a quote as CSV, SQL or a shell quotes
it, a tab expanded to spaces, a long one wrapped across lines, spaced or a piece a decorated line. :class:`Masker`
is the one place that knows these forms; the log redaction uses it too.
"""

from __future__ import annotations

import base64
import codecs
import functools
import html.entities
import itertools
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from orchestra.decorated_lines import in_an_empty_line, undecorated_spans
from orchestra.encoded_spans import encoded_spans, soft_broken_spans, wrapped_spans
from orchestra.errors import ToolValidationError
from orchestra.escaped_bytes import escaped_longest, escaped_patterns
from orchestra.hex_dumps import dump_spans
from orchestra.invisible_chars import INVISIBLE as _INVISIBLE
from orchestra.invisible_chars import LONGEST_ONE as _INVISIBLE_ONE
from orchestra.invisible_chars import SPACED as _SPACED
from orchestra.invisible_chars import SPACES as _SPACES
from orchestra.literal_set import (
    TEXTS_APART,
    LiteralSet,
    across_ends,
    beside_mask,
    masked,
    masked_until_stable,
)
from orchestra.secret_prefilter import Encoded, Prefilter, matches_past, prefilter, prefilters, starts_in
from orchestra.secret_references import SECRET_REFERENCE
from orchestra.secret_settings import ENV_PREFIX, secret_settings

MASK = "***"
MIN_ENCODED_LENGTH = 4  # shorter secrets are masked as they are only: their encodings would match noise
# Up to this many zeros before a character reference's digits (PHP writes ``&#039;``); more would let a
# form grow without bound, past the margin a text cut short loses (``longest_form``).
REFERENCE_ZEROS = 3
WIDE_ENCODINGS = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
URL_SAFE = str.maketrans("+/", "-_")
_BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
UU = str.maketrans(_BASE64, "`" + "".join(chr(32 + i) for i in range(1, 64)))  # uuencode, ` for zero
XX = str.maketrans(_BASE64, "+-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")  # xxencode
JSON_ESCAPES = {'"': '\\"', "\\": "\\\\", "/": "\\/", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def env_name(name: str) -> str:
    return ENV_PREFIX + name.upper()


def resolve_secrets(
    value: Any, env: Mapping[str, str] | None = None, placed: Callable[[str], str] = str
) -> tuple[Any, list[str]]:
    """Replace every ``${secrets.NAME}`` in ``value`` by ``placed`` (the secret's text where it goes: in a
    URL, percent-encoded); return the new value and the secrets used, as they are."""
    source = os.environ if env is None else env
    used: list[str] = []

    def one(match: re.Match[str]) -> str:
        variable = env_name(match.group(1))
        if not source.get(variable):
            raise ToolValidationError(
                f"secret {match.group(1)!r} is not set on the worker (environment variable {variable})",
                code="missing_secret",
            )
        if not is_utf8(source[variable]):
            # Bytes of the environment that are no UTF-8 come as half surrogate pairs, which no request, no
            # history and no masker's encodings carry: the log masker raised on every line after.
            raise ToolValidationError(
                f"secret {match.group(1)!r} holds bytes that are not UTF-8 text on the worker (environment "
                f"variable {variable})",
                code="missing_secret",
            )
        used.append(source[variable])
        return source[variable]

    def text(item: str) -> str:
        matches = list(SECRET_REFERENCE.finditer(item))
        values = [one(match) for match in matches]
        _refuse_short_in_words(item, matches, values)
        pieces = iter(values)
        return SECRET_REFERENCE.sub(lambda _: placed(next(pieces)), item)

    def walk(item: Any) -> Any:
        if isinstance(item, str):
            return text(item)
        if isinstance(item, Mapping):
            return {k: walk(v) for k, v in item.items()}
        if isinstance(item, list):
            return [walk(v) for v in item]
        return item

    return walk(value), used


def _refuse_short_in_words(text: str, references: Sequence[re.Match[str]], values: Sequence[str]) -> None:
    """Refuses a short secret (``SHORT_SECRET``) that ``text``, its references replaced by ``values``, puts
    inside a longer word, as its masker reads one: 'pin${secrets.PIN}', '${secrets.PIN}-7' or a PIN twice in a
    row, which a server quoting it showed in clear (masked inside words, every year in 'report_2026.pdf' was)."""
    parts: list[str] = []
    places: list[int] = []
    done = 0
    for reference, value in zip(references, values, strict=True):
        parts.append(text[done : reference.start()])
        places.append(sum(map(len, parts)))
        parts.append(value)
        done = reference.end()
    written = "".join(parts) + text[done:]
    for reference, value, at in zip(references, values, places, strict=True):
        if len(value) >= SHORT_SECRET:
            continue
        whole = re.compile(_whole_token(re.escape(value), value)).match(written, at)
        if whole is None or whole.end() != at + len(value):
            raise ToolValidationError(
                f"secret {reference.group(1)!r} is shorter than {SHORT_SECRET} characters and written inside a "
                "longer word of letters and digits: put a space, a quote or another sign beside it (a short secret "
                "is masked only as a whole word: echoed there, it would reach the run's history in clear)",
                code="short_secret_in_word",
            )


def is_utf8(text: str) -> bool:
    """Whether ``text`` holds no half of a surrogate pair (no UTF-8 carries one)."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


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


def _backslashed(char: str) -> list[str]:
    """How escapes after a backslash write ``char`` (the backslash itself left out, written once or
    twice: JSON inside a JSON string), later parts of a sequence with their own: JSON's and ``repr``'s
    (``\\u00e9``, ``\\'``, ``\\xc3\\xa9`` for a str's or bytes' UTF-8), C's octal bytes (``\\141``), CSS
    (``\\61 ``, ``\\000061``), ``\\u{61}`` (JavaScript, Rust, Swift, PHP), ``\\x{61}`` (Perl), C#'s
    ``\\x0061``, ``\\U00000061``, Python's ``\\N{NAME}`` (outside ASCII), and the character itself (a
    regex, a shell or CSS quoting it)."""
    data = char.encode()
    code = ord(char)
    units = _utf16_units(char)
    tails = [
        "u" + "".join(_hex(unit, 4) if i == 0 else BACKSLASHES + "u" + _hex(unit, 4) for i, unit in enumerate(units))
    ]
    if char in JSON_ESCAPES and char not in '"\\':
        tails.append(re.escape(JSON_ESCAPES[char][1:]))
    elif char not in '\n\r"\\':
        tails.append(re.escape(char))
    if len(data) > 1:
        tails.append(BACKSLASHES.join("x" + _hex(byte, 2) for byte in data))
    tails.append(BACKSLASHES.join(_digits(byte, 4, 8) for byte in data))
    tails += [_digits(code, 6) + r"(?:\r\n|[ \t\r\n\f])?", "[ux]\\{" + _digits(code, 6) + "\\}", "U" + _hex(code, 8)]
    if code < 0x10000:
        tails.append("x" + _digits(code, 4))
    name = unicodedata.name(char, None)
    if name is not None and not char.isascii():
        tails.append(re.escape("N{" + name + "}"))
    return tails


def _digits(value: int, width: int, base: int = 16) -> str:
    """``value`` in ``base`` with up to ``width`` digits in all: its own digits after up to as many
    zeros as fill the width (``\\61``, ``\\000061``), hex in either case."""
    plain = f"{value:o}" if base == 8 else f"{value:x}"
    own = plain if base == 8 else _hex(value, len(plain))
    return f"0{{0,{max(width - len(plain), 0)}}}{own}"


def _utf16_units(char: str) -> list[int]:
    data = char.encode("utf-16-be")
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]


# A quote as a quoting writes it inside a string of its own kind: doubled (CSV's '""', SQL's "''"), or the string
# closed, the quote escaped or quoted the other way, and the string opened again (a shell's '\'' and '"'"', "\"");
# a tab expanded to the spaces up to the next stop (wrapped or pasted output). Each left the secret in clear.
QUOTED = {
    '"': [r'(?:\\{1,3})?""', r'"\\""', '"\'"\'"'],  # a backslash before it: JSON or repr in a CSV field
    "'": [r"(?:\\{1,3})?''", r"'\\''", "'\"'\"'"],
    "\t": [" {1,8}"],
}


def _fullwidth(text: str) -> str:
    """``text``'s printable ASCII in fullwidth (U+FF01 to U+FF5E), as a Japanese or Chinese text writes a token."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _fullwidth_cases(char: str) -> list[str]:
    """``char``'s fullwidth forms in either case, where it has one: matched itself through ``_alike``, a fullwidth
    token escaped as JSON writes it (``\\uff3a``, Python's ``json.dumps``) or its UTF-8 percent-encoded
    (``%EF%BC%BA``) showed the secret in clear."""
    if not "!" <= char <= "~":
        return []
    return list(dict.fromkeys(_fullwidth(cased) for cased in (char, char.lower(), char.upper())))


def _char(char: str) -> str:
    """Every way one character of a secret may be written: itself, percent-encoded (once or twice; its
    UTF-8 bytes, or as JavaScript's ``escape()`` writes it: ``%E9``, ``%u20AC``), ``+`` or ``_`` for a
    space, quoted-printable (``=C3=A9``), ``U+0061``, escaped after a backslash (``_backslashed``; a
    quote or a backslash escaped again), HTML-escaped (by any HTML5 name or by number). Options with a
    first character in common share it: the regex tries each prefix once."""
    data = char.encode()
    code = ord(char)
    wide = _fullwidth_cases(char)
    percent = ["%(?:25)?".join(_hex(byte, 2) for byte in data), "u" + "%u".join(_hex(u, 4) for u in _utf16_units(char))]
    percent += ["(?:25)?" + "%(?:25)?".join(_hex(byte, 2) for byte in w.encode()) for w in wide]
    if 0x80 <= code < 0x100:
        percent.append(_hex(code, 2))
    zeros = f"0{{0,{REFERENCE_ZEROS}}}"
    references = [f"#{zeros}{code}{_REFERENCE_TAIL}", f"#[xX]{zeros}{_hex(code, len(f'{code:x}'))}{_REFERENCE_TAIL}"]
    references += [f"{name};" for name in HTML_NAMES.get(char, ())]
    options = [
        _any_case(char),
        "%(?:" + "|".join([f"(?:25)?{percent[0]}", *percent[1:]]) + ")",
        "=" + "=".join(_hex(byte, 2) for byte in data),
        "U\\+" + _digits(code, 6),
        BACKSLASHES + "(?:" + "|".join([*_backslashed(char), *(f"u{_hex(ord(w), 4)}" for w in wide)]) + ")",
        "&(?:" + "|".join(references) + ")",
    ]
    if char in "\"\\'":  # "'" too: repr of a repr of bytes holding both quotes writes \\\'
        options.append(ESCAPED_AGAIN + re.escape(char))
    options += QUOTED.get(char, [])
    if char == " ":
        options += [r"\+", "_"]
    return "(?:" + "|".join(options) + ")"


def _aligned_cores(data: bytes, encode: Callable[[bytes], bytes], bits: int, offsets: int) -> set[str]:
    """The characters of a bit-aligned encoding (``bits`` bits a character: base64, base32) of ``data``
    that depend on it alone, at each byte offset inside a longer text."""
    cores = set()
    for offset in range(offsets):
        encoded = encode(bytes(offset) + data).decode()
        cores.add(encoded[-(-offset * 8 // bits) : (offset + len(data)) * 8 // bits])
    return cores


def _grouped_cores(data: bytes, encode: Callable[[bytes], bytes]) -> set[str]:
    """Base85's whole four-byte groups of ``data`` at each offset inside a longer text, and its whole
    encoding: a group's characters depend on all its bytes."""
    cores = {encode(data).decode()}
    for skip in range(4):
        whole = (len(data) - skip) // 4 * 4
        if whole > 0:
            cores.add(encode(data[skip : skip + whole]).decode())
    return cores


# ZeroMQ's Z85 (basenc --z85): base85's groups, big-endian as RFC 1924's, in an alphabet of its own.
_Z85 = bytes.maketrans(
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~",
    b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#",
)


def _z85encode(data: bytes) -> bytes:
    return base64.b85encode(data).translate(_Z85)


def _binary_forms(secret: str) -> set[str]:
    """The secret's encodings, each a literal (as written, or all upper or all lower case where a tool
    may write either; a class per letter cost base32 twice the time to match): base64 at
    each offset in a longer text (only the characters that depend on the secret alone; standard,
    URL-safe, and uuencode's and xxencode's alphabets), base85 and Ascii85 (whole groups); base32 and
    base32hex, ROT13 (hex and lists of numbers: ``_number_patterns``); its UTF-8 read as
    Latin-1 or Windows-1252 (a body labelled with the wrong charset), UTF-16 and UTF-32 as single bytes
    read them, and UTF-7."""
    data = secret.encode()
    exact = {*(secret.encode(wide).decode("latin-1") for wide in WIDE_ENCODINGS), secret.encode("utf-7").decode()}
    exact |= {data.decode("latin-1"), data.decode("cp1252", "replace")}
    for core in _aligned_cores(data, base64.b64encode, 6, 3):  # the standard alphabet's: _base64_patterns
        exact |= {core.translate(URL_SAFE), core.translate(UU), core.translate(XX)}
    exact |= _grouped_cores(data, base64.b85encode) | _grouped_cores(data, base64.a85encode)
    exact |= _grouped_cores(data, _z85encode)
    # basenc --base2msbf's and --base2lsbf's bits (8 characters a byte: at any byte offset, the same).
    exact |= {"".join(f"{byte:08b}" for byte in data), "".join(f"{byte:08b}"[::-1] for byte in data)}
    # UTF-32 (a Python or C program's wide bytes) in base64 unwrapped, and in hex as Node's Buffer shows it (``<Buffer 63
    # 00 00 00``) or bare: literals, as UTF-16's patterns (wrapped, any separator) made twice as long cost the masker
    # twice its time to make.
    for order in ("utf-32-le", "utf-32-be"):
        wide = secret.encode(order)
        exact |= _aligned_cores(wide, base64.b64encode, 6, 3) | {wide.hex(" "), wide.hex()}
    either = {codecs.encode(secret, "rot13")}
    either |= _aligned_cores(data, base64.b32encode, 5, 5) | _aligned_cores(data, base64.b32hexencode, 5, 5)
    exact |= {cased for form in either for cased in (form, form.upper(), form.lower())}
    return {form for form in exact if len(form) >= MIN_ENCODED_LENGTH} - {secret}


_BASE64_CHAR = {"+": r"(?:\+|%2[bB])", "/": r"(?:/|\\/|%2[fF])", **{c: c for c in _BASE64[:62]}}
# A line's end (LF, CRLF or CR alone) as written, or JSON-escaped (a JSON body holding base64 wrapped in
# lines: a PEM, a MIME part), a space or a tab (a PEM in a header): CR alone, spaces and tabs left it in clear.
_LINE_BREAK = r"(?:\r\n?|\n|\\r(?:\\n)?|\\n|[ \t])?"
_LINE_BREAK_LONGEST = len("\\r\\n")


def _base64_patterns(secret: str) -> list[str]:
    """Standard base64 of the secret's UTF-8 (and of its UTF-16, as PowerShell's ``-EncodedCommand``
    takes a script) at each offset, as it travels: wrapped in lines at any column (``base64`` and MIME
    at 76, ``openssl`` at 64; the breaks JSON-escaped too), ``+`` and ``/`` percent-encoded (in a URL) or
    ``/`` JSON-escaped (PHP)."""
    return [_LINE_BREAK.join(_BASE64_CHAR[c] for c in core) for core in _base64_cores(secret)]


def _base64_cores(secret: str) -> set[str]:
    cores = _aligned_cores(secret.encode(), base64.b64encode, 6, 3)
    for order in ("utf-16-le", "utf-16-be"):  # big-endian too: a Java tool's bytes of a string, base64-encoded
        cores |= _aligned_cores(secret.encode(order), base64.b64encode, 6, 3)
    return {core for core in cores if len(core) >= MIN_ENCODED_LENGTH}


def _base64_longest(secret: str) -> int:
    """The most characters ``_base64_patterns`` match: a line break after each character, ``%2B``."""
    return max(
        ((1 + _LINE_BREAK_LONGEST) * len(core) + 2 * sum(c in "+/" for c in core) for core in _base64_cores(secret)),
        default=0,
    )


# Between two numbers of a list (``[83, 117]``, Go's ``[83 117]``, a hex dump's ``5375 7033``, ``53.75``, an
# array written one number a line with its indent; CR alone too), bounded so the longest form stays known.
_NUMBER_SEPARATOR = r"(?:[,;:.\-]?(?:(?:\r\n?|\n)[ \t]{0,16}|[ \t]{1,2})|[,;:.\-])"
_NUMBER_SEPARATOR_LONGEST = 1 + 2 + 16
_DUMP_SEPARATOR = r"(?:, ?|[ :\-])?"  # bytes.hex(" "), xxd's words, .NET's '-', a C array's ', 0x'


def _number_patterns(secret: str) -> list[str]:
    """The secret's bytes (UTF-8) as numbers: hex, two digits a byte in either case, each with a ``0x``
    or not, with or without a separator between (bare, ``53:75``, ``0x53, 0x75`` in a C array, ``5375
    7033`` in a hex dump, wrapped across lines); and decimal with a separator between, as Python's
    ``list(bytes)``, Node's Buffer in JSON, Go's ``%v`` and Java's signed bytes write them, or its
    characters' codes as JavaScript's ``charCodeAt`` gives them (UTF-16 units); and its UTF-16LE bytes in hex (a
    Windows string dumped: ``6c 00 6f 00``)."""
    data = secret.encode()
    decimal = _NUMBER_SEPARATOR.join(f"(?:{byte}|-{256 - byte})" if byte > 127 else str(byte) for byte in data)
    # UTF-16LE's, as a Windows tool's dump of its string writes them: a dump's separators only (each gap of the full
    # list is 70 characters of pattern, twice as many bytes: 18 of a key's 140 ms to compile).
    patterns = [_hexed(data, f"{_NUMBER_SEPARATOR}?"), decimal]
    # Both byte orders: a Java or network tool writes UTF-16 big-endian (``00 6c 00 6f``), and it went out in clear.
    patterns += [_hexed(secret.encode(order), _DUMP_SEPARATOR) for order in ("utf-16-le", "utf-16-be")]
    if not secret.isascii():
        patterns.append(_NUMBER_SEPARATOR.join(str(unit) for char in secret for unit in _utf16_units(char)))
    if (wide := _fullwidth(secret)) != secret:  # a fullwidth token's UTF-8 as hex (``efbcba``)
        patterns.append(_hexed(wide.encode(), _DUMP_SEPARATOR))
    return patterns


def _hexed(data: bytes, gap: str) -> str:
    first = _hex(data[0], 2)  # not after an optional 0x: a pattern that begins optional costs 6 times
    return f"(?:0[xX]{first}|{first})" + "".join(f"{gap}(?:0[xX])?{_hex(byte, 2)}" for byte in data[1:])


def _numbers_longest(secret: str) -> int:
    """The most characters ``_number_patterns`` match: ``0x`` and two digits, or ``-128``, then a separator."""
    return (4 + _NUMBER_SEPARATOR_LONGEST) * max(len(secret.encode()), len(secret.encode("utf-16-le")))


def _any_case(text: str) -> str:
    """``text`` as a regex matching it in any letter case, a character class for each letter (the
    IGNORECASE flag cost twice the time to match), each ASCII letter or digit in its other Unicode forms too
    (``_alike``)."""
    return "".join(
        _class(c.lower() + c.upper()) if len(c.lower()) == len(c.upper()) == 1 and c.lower() != c.upper() else _class(c)
        for c in text
    )


def _class(chars: str) -> str:
    """A regex of one of ``chars`` or of a character written alike (``_alike``)."""
    every = "".join(dict.fromkeys(chars + "".join(_alike().get(c, "") for c in chars)))
    return re.escape(every) if len(every) == 1 else "[" + "".join(map(re.escape, every)) + "]"


@functools.cache
def _alike() -> dict[str, str]:
    """For each printable ASCII character, the characters NFKC makes it (fullwidth U+FF12, mathematical U+1D7D0,
    superscript, circled; fullwidth and small punctuation, U+FF0B and U+FE62 for '+') and, of a digit, the decimal
    digits of other scripts (Arabic-Indic U+0662, Devanagari U+0968): a tool's output writing a secret so (a PIN in
    fullwidth digits, as a Japanese text does) showed it in clear; a token's '+', '/' and '=' in fullwidth left all
    of it so, as letters and digits alone had their fullwidth forms. Made once, on first use (a tenth of a second)."""
    alike: dict[str, list[str]] = {}
    for code in range(0x80, 0x20000):
        char = chr(code)
        same = unicodedata.normalize("NFKC", char)
        if len(same) == 1 and same.isascii() and same.isprintable() and not same.isspace():
            alike.setdefault(same, []).append(char)
        elif (digit := unicodedata.decimal(char, None)) is not None:
            alike.setdefault(str(digit), []).append(char)
    return {ascii_char: "".join(chars) for ascii_char, chars in alike.items()}


def _cases(secret: str) -> list[str]:
    """The secret, and its upper and lower case where they are not a letter for a letter (``ß``, ``SS``):
    the pattern ignores case otherwise."""
    return [secret, *(cased for cased in (secret.upper(), secret.lower()) if len(cased) != len(secret))]


def secret_pattern(secret: str) -> str:
    """A regular expression matching ``secret`` in any of the forms above, in any letter case (a tool
    that upper- or lower-cases what it quotes), composed or decomposed (``é`` or ``e`` and a combining
    accent: a server that normalises what it quotes). A short one only as a whole token (``SHORT_SECRET``)."""
    if len(secret) < SHORT_SECRET:
        return "|".join(_whole_token(pattern, secret, camel=camel) for pattern, camel in _token_parts(secret))
    if not is_utf8(secret):  # its encodings are of its UTF-8
        return _INVISIBLE.join(_any_case(c) for c in secret)
    return "|".join(_spelt_and_encoded(secret))


def short_secrets_patterns(secrets: Iterable[str]) -> list[str]:
    """Regular expressions of every short secret's (``SHORT_SECRET``) ``secret_pattern``: their forms joined
    under each kind of token edge once, one expression a kind. A pattern of each was about a second to build and a
    pass over every text with its edges tried at each character: 50 PINs, tens of seconds to build and seconds per
    120 KB. Of one kind, the longer secrets first (at one place, the longest of them is what a match covers); kinds
    apart, as one expression a shorter secret of a kind tried first hid a longer one's end at the same place
    ('pin' before 'pinCo1': '***Co1')."""
    return _whole_tokens_by_kind(_short_parts(secrets))


def short_secrets_cores(secrets: Iterable[str]) -> list[list[str]]:
    """``short_secrets_patterns`` without their token edges, a list of them a kind in the same order: what a
    match of each must begin with (orchestra/secret_prefilter.py)."""
    return [patterns for _, _, patterns in _kinds(_short_parts(secrets))]


def _short_parts(secrets: Iterable[str]) -> list[tuple[str, str, bool]]:
    ordered = sorted(secrets, key=lambda s: (-len(s), s))
    return [(secret, pattern, camel) for secret in ordered for pattern, camel in _token_parts(secret)]


def _whole_tokens_by_kind(parts: Iterable[tuple[str, str, bool]]) -> list[str]:
    """Each ``(secret, pattern, camel)`` as ``_whole_token``, those of one kind of token edge joined under the edges
    once (in the order given): the edges are most of a short secret's pattern, 50 times over a third of a megabyte."""
    return [_whole_token("|".join(patterns), alike, camel=camel) for camel, alike, patterns in _kinds(parts)]


def _kinds(parts: Iterable[tuple[str, str, bool]]) -> list[tuple[bool, str, list[str]]]:
    """``parts`` by kind of token edge, in the order given: whether camelCase, a secret of the kind, its patterns."""
    kinds: dict[tuple[bool, bool, bool, bool], tuple[str, list[str]]] = {}
    for secret, pattern, camel in parts:
        first, last = _is_token_char(secret[:1]), _is_token_char(secret[-1:])
        kind = (camel, first, last, camel and first and last and _one_run(secret))
        kinds.setdefault(kind, (secret, []))[1].append(pattern)
    return [(kind[0], alike, patterns) for kind, (alike, patterns) in kinds.items()]


def _token_parts(secret: str) -> list[tuple[str, bool]]:
    """A short secret's patterns, each to stand as a whole token, and whether also as a camelCase word (not its
    encoded forms: base64 and hex mix cases and digits)."""
    if not is_utf8(secret):  # its encodings are of its UTF-8
        return [(_INVISIBLE.join(_any_case(c) for c in secret), True)]
    if len(secret) < MIN_ENCODED_LENGTH:  # in any case as a longer one: 'ABC' shows 'abc' as much as 'abc' does
        return [("|".join(_INVISIBLE.join(_any_case(c) for c in cased) for cased in _cases(secret)), True)]
    spelt, encoded = _spelt_and_encoded(secret)
    return [(spelt, True), (encoded, False)]


@functools.lru_cache(maxsize=4096)  # a secret's pattern and its prefilter's core are both made of these
def _spelt_and_encoded(secret: str) -> tuple[str, str]:
    spellings = dict.fromkeys(unicodedata.normalize(form, cased) for form in ("NFC", "NFD") for cased in _cases(secret))
    between = _LONG_GAP if len(secret) >= SHORT_SECRET else _INVISIBLE
    spelt = "|".join(between.join(_char(c) for c in spelling) for spelling in spellings)
    literal = map(re.escape, sorted(_binary_forms(secret), key=len, reverse=True))
    return spelt, "|".join([*_base64_patterns(secret), *_number_patterns(secret), *escaped_patterns(secret), *literal])


# Characters that show as nothing (orchestra/invisible_chars.py), as they are or JSON-escaped, between two of a
# secret's characters: 'hun\u200bter2' read 'hunter2' to anyone, shown in clear. Any number of them in a text; where
# two texts meet (``longest_form``'s margin), at most INVISIBLE_MOST in a row.
INVISIBLE_MOST = 3  # spaces too, before and after a line's end
_INVISIBLE_LONGEST = INVISIBLE_MOST * _INVISIBLE_ONE
# A line's end between two of a long secret's characters, as written or JSON-escaped: output wrapped at a column
# (a terminal's, ``fold``'s, a PEM-like dump's) split it in two, each half shown. Not a short one's (a PIN across
# two lines' numbers is noise).
_WRAPPED = r"(?:\r\n?|\n|\\r(?:\\n)?|\\n)"
_WRAPPED_LONGEST = len("\\r\\n")
# Between two of a long secret's characters: invisible characters and Unicode's spaces ('c\u00a0o\u00a0r...', pieces
# apart by NBSP or U+2003 read whole to anyone, shown in clear), a line's end, and spaces after it (an indent).
# One way only to match a gap: each part of it where the one before cannot be.
_LONG_GAP = rf"{_SPACED}(?:{_WRAPPED}{_SPACES})?"
_GAP_LONGEST = _INVISIBLE_LONGEST + _WRAPPED_LONGEST + INVISIBLE_MOST
# A secret shorter than this (a PIN: '2026') is masked only where it stands as a whole token: anywhere, it masked
# every year in every text ('in ***', a date '***-12-01', an id '1***9').
SHORT_SECRET = 8
# A token: letters and digits, and '-', '_' or '.' between two of them (a date '2026-12-01', a file name
# 'report_2026.pdf', a version '1.2026.3', an id 'inv-2026-7'): read as token edges, they left a PIN's year in
# clear in none of these and masked it in all. Any other character is an edge, so is a joiner with no letter or
# digit beyond it ('pin 2026.', '2026-'), or one after an escape that stands for no letter or digit
# ('\n-2026' in a JSON text, as a line's '-2026').
_JOINER = "-_."
# A byte, as two hex digits, that is no token character: escaped before a secret, it is the token's edge.
_EDGE_HEX = "(?:[01][0-9a-fA-F]|2[0-9a-fA-F]|3[a-fA-F]|40|5[b-fB-F]|60|7[b-fB-F]|[89a-fA-F][0-9a-fA-F])"
# Escapes that end in a letter or digit but stand for a character that is none: JSON's or C's ('\n', '\t',
# '\u000a', '\x3d'), quoted-printable's ('=0A', '=3D'), percent-encoding's ('%0A'). 'pin:\n2026' in a JSON
# text (an HTTP body as text) or '=0A2026' in a mail left a short secret in clear: a letter or digit before it.
_ESCAPES = (r"\\[nrtbfv0]", rf"\\x{_EDGE_HEX}", rf"\\u00{_EDGE_HEX}", f"={_EDGE_HEX}", f"%{_EDGE_HEX}")
_AFTER_ESCAPE = "|".join(f"(?<={escape})" for escape in _ESCAPES)


class _Edges:
    """A token's edges (letters, digits and ``_JOINER``) and a camelCase word's: a camelCase word begins at a capital after
    a small letter or a digit (as the log's keys are read: 'pinCode', '2026Code'); a letter beside a digit is an edge
    of a word in camelCase only (the secret's other side a camelCase edge), as 'pin2026Code' reads pin, 2026, Code,
    and a word of small letters and digits ('x2026y', 'fy2026') stays one token. Letters and digits are the ASCII
    ones and every character written alike (``_alike``: fullwidth, mathematical, other scripts' digits), as the
    secret itself is matched: ASCII edges alone left 'abc\uff12\uff10\uff12\uff16Def' (a fullwidth PIN between
    letters) in clear."""

    def __init__(self) -> None:
        digit, small, capital = (_ranges(c + "".join(_alike().get(a, "") for a in c)) for c in _ASCII_KINDS)
        token, letter, joiner = digit + small + capital, small + capital, _JOINER
        after_escape = "|".join(f"(?<={escape}[{joiner}])" for escape in _ESCAPES)
        self.before = f"(?:(?<![{token}])(?:(?<![{token}][{joiner}])|{after_escape})|{_AFTER_ESCAPE})"
        self.after = f"(?![{token}])(?![{joiner}][{token}])"
        self.camel = f"(?<=[{small}{digit}])(?=[{capital}])"
        self.change = f"(?:(?<=[{letter}])(?=[{digit}])|(?<=[{digit}])(?=[{letter}]))"


_ASCII_KINDS = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _ranges(chars: str) -> str:
    """A character class's body of ``chars``, runs of consecutive code points as ranges (other scripts' digits
    are runs of ten): a pattern of each of them alone was thousands of characters per edge."""
    codes, parts = sorted(set(map(ord, chars))), []
    at = 0
    while at < len(codes):
        end = at
        while end + 1 < len(codes) and codes[end + 1] == codes[end] + 1:
            end += 1
        first, last = re.escape(chr(codes[at])), re.escape(chr(codes[end]))
        parts.append(first if at == end else f"{first}-{last}")
        at = end + 1
    return "".join(parts)


@functools.cache
def _edges() -> _Edges:
    return _Edges()


def _whole_token(pattern: str, secret: str, *, camel: bool = True) -> str:
    """``pattern`` as a whole token (``_Edges``), on each side where ``secret`` ends in a letter
    or digit: a secret that begins or ends with another character ('#a1b2', 'pw12!') is a token's edge itself
    ('id#a1b2' left it in clear). Or as a word of a camelCase name (``_Edges``): a tool's output or error
    naming a thing after the PIN it was given ('pin2026Code', 'user2026Token') showed it in clear. Not ``camel`` for
    an encoded form: base64 and hex mix cases and digits, where a camelCase edge is noise."""
    edges, first, last = _edges(), _is_token_char(secret[:1]), _is_token_char(secret[-1:])
    before = (f"(?:{edges.before}|{edges.camel})" if camel else edges.before) if first else ""
    after = (f"(?:{edges.after}|{edges.camel})" if camel else edges.after) if last else ""
    if not (camel and first and last and _one_run(secret)):
        return f"{before}(?:{pattern}){after}"
    # Whole, or a camelCase word on one side and a letter meeting a digit on the other: the pattern once, its end's
    # edge chosen by its beginning's (the three ways spelt out were the pattern three times, to build and to try).
    token, at_camel, change, camel_edge = next(_EDGE_GROUPS), next(_EDGE_GROUPS), edges.change, edges.camel
    begun = f"(?:(?P<{token}>{edges.before})|(?P<{at_camel}>{camel_edge})|{change})"
    ended = f"(?({token}){after}|(?({at_camel})(?:{edges.after}|{camel_edge}|{change})|{camel_edge}))"
    return f"{begun}(?:{pattern}){ended}"


_EDGE_GROUPS = (f"_edge{n}" for n in itertools.count())


def _one_run(secret: str) -> bool:
    """Whether ``secret`` is digits only or letters only: a word by itself where a letter meets a digit beside it.
    One of both ('Code12') ends where its digits meet a letter only if they are a word, which they are not when a
    letter begins them in it: 'pinCode12x' reads pin, Code12x (as 'x2026y' is one token), and was masked 'pin***x'."""
    return secret.isdecimal() or secret.isalpha()


def _is_token_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _longest_char(char: str) -> int:
    """The most characters one of ``_char``'s forms of ``char`` takes."""
    data = char.encode()
    escaped = 7 * len(_utf16_units(char))  # \\uXXXX (escaped twice) per UTF-16 unit, or %uXXXX
    reference = len("&#x;") + REFERENCE_ZEROS + len(f"{ord(char):x}")
    named = max((len(name) + 2 for name in HTML_NAMES.get(char, ())), default=0)
    other = len("\\\\u{000000}\r\n") + (len(unicodedata.name(char, "")) + 5 if not char.isascii() else 0)
    fullwidth = len("%25EF%25BC%25BA") if "!" <= char <= "~" else 0
    return max(6 * len(data), escaped, reference, named, other, fullwidth)  # 6: an octal byte escaped twice, \\0141


# Quoted-printable's soft break as the masker reads it (encoded_spans._SOFT_BREAK), JSON-escaped: '=\\r\\n',
# as an encoder wraps: lines of at most 76 characters, never broken short of 64 (one after every character
# would make every bound six times as long, read at every cut, for a wrapping no encoder writes).
_SOFT_BREAK_LONGEST = len("=\\r\\n")
QP_LINE_SHORTEST = 64


def longest_form(secrets: Iterable[str]) -> int:
    """The most characters any form above may take for one of ``secrets``: a character's longest form,
    each, or the longest whole encoding; and the soft breaks a quoted-printable encoder puts in it (the
    masker reads a text without them too: a form wrapped by them was longer than this said, and the side of
    it beyond the bound was never joined to its other half)."""
    return max((_longest_of(s) for s in secrets if s and is_utf8(s)), default=0)


@functools.lru_cache(maxsize=4096)  # as _compiled: measured for every output a tool returns (its masker's margin)
def _longest_of(secret: str) -> int:
    """``longest_form`` of one secret: measured again for each of a call's maskers, every character's every form,
    it was most of masking a small output (35 ms of ten settings' for a kilobyte)."""
    return max(
        longest + _SOFT_BREAK_LONGEST * (longest // QP_LINE_SHORTEST + 1)
        for spelling in {unicodedata.normalize(form, cased) for form in ("NFC", "NFD") for cased in _cases(secret)}
        for longest in [
            max(
                sum(_longest_char(c) for c in spelling) + _GAP_LONGEST * (len(spelling) - 1),
                max(map(len, _binary_forms(secret)), default=0),
                _base64_longest(secret),
                _numbers_longest(secret),
                escaped_longest(secret),
            )
        ]
    )


class Masker:
    """Replaces every form of the given secrets with ``mask``, in text and in JSON-like values. Only whole
    ones: masking the beginning of one at the end of a text would tell whoever chose that text whether it
    begins a secret (a character at a time); texts a cap cut short lose their end instead
    (``ToolContext.cut_end``)."""

    def __init__(
        self,
        secrets: Iterable[str],
        mask: str = MASK,
        as_written: Iterable[str] | LiteralSet = (),
        *,
        compiled: bool = False,
    ) -> None:
        """``as_written``: values masked only as they are, not in every form (what a plan chose: the
        pattern of every form costs about a millisecond of the GIL per 4 characters to build); a
        LiteralSet is used as it is, values added to it later masked too. ``compiled``: every secret's pattern
        compiled now, for a masker made in a thread and used on an event loop (else each is compiled where its
        prefilter first finds one of its forms may begin: 0.2 to 0.6 s of CPU for a key of 44 to 140 characters,
        seconds for ten, paid by every masker made though nearly no text holds one)."""
        self.mask = mask
        # One compiled pattern per secret (cached), not one alternation of them all: compiling their union
        # anew for each value added took seconds holding the GIL (quadratic). The worker's own secrets
        # are few; the many a plan chose are one LiteralSet.
        every = {s for s in secrets if s}
        every |= {part for s in every for part in beside_mask(s, mask, MIN_ENCODED_LENGTH)}
        long = [s for s in sorted(every, key=len, reverse=True) if len(s) >= SHORT_SECRET]
        self._long = long
        self._long_filters = [_long_prefilters(s) for s in long]
        # A pattern no prefilter gates is tried on every text: compiled now, as is every one if asked (else each
        # where its prefilter first finds a start: ``_match_end_of``).
        for secret, filters in zip(long, self._long_filters, strict=True):
            if filters is None or compiled:
                _compiled(secret)
        short = tuple(sorted(s for s in every if len(s) < SHORT_SECRET))
        self._short = _short_compiled(short) if short else ()
        self._short_secrets = short
        if not isinstance(as_written, LiteralSet):
            written = set(as_written)
            written |= {part for value in written for part in beside_mask(value, mask, MIN_ENCODED_LENGTH)}
            as_written = LiteralSet(written - every)
        self._literals = as_written
        self._secrets = every
        self._short_decoded = _short_in_decoded(every)
        # Each shrinks the text where it is masked (it is longer than the mask): masked again and again, it ends.
        self._holding_mask = [_compiled(s) for s in sorted(every) if mask and mask in s and len(s) > len(mask)]

    def compile_all(self) -> None:
        """Every secret's pattern compiled now (each once a process: cached), as ``compiled`` makes them."""
        for secret in self._long:
            _compiled(secret)

    def text(self, text: str) -> str:
        """``text`` masked until masking it again changes nothing (``masked_until_stable``)."""
        return self.texts([text])[0]

    def texts(self, texts: Sequence[str]) -> list[str]:
        """Each of ``texts`` as ``text`` masks it, every matcher passing once over them all (each pass)."""
        across = self._across_masks if self._holding_mask or self._long else None
        return masked_until_stable(texts, self.mask, self.spans, self._reach, across)

    @property
    def _reach(self) -> int:
        """The most characters a secret's form (or a value as written, read decoded too) may take in a text: a plan's
        values may be added to the LiteralSet meanwhile."""
        return self._longest_secret_form + DECODED_CHARACTERS_PER_BYTE * self._literals.longest + DECODED_SKIP

    @functools.cached_property
    def _longest_secret_form(self) -> int:
        return longest_form(self._secrets)

    def _across_masks(self, text: str) -> list[tuple[int, int]]:
        """What is read across the masks, the rest read only between them: the secrets that hold the mask
        ('x***yzzzzz' was never found whole: 'x***yzzzzzab' shown as it was), and a long one's pieces apart by lines of
        signs holding it (a line of '****' between: orchestra/decorated_lines.py)."""
        spans = [span for regex in self._holding_mask for span in _matches_from(regex, text, None)]
        if self._long and in_an_empty_line(text, self.mask):
            spans += undecorated_spans(text, self._long_spans)
        return spans

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the secrets are in ``text``, in any form, each as [begin, end); read without its
        quoted-printable soft breaks too (a mail body wrapped at 76 cut a value in two), and in a hex dump's
        columns (orchestra/hex_dumps.py)."""
        return (
            self._spans(text)
            + soft_broken_spans(text, self._spans)
            + dump_spans(text, self._spans, self._reach)
            + wrapped_spans(text, self._spans)
            + (undecorated_spans(text, self._long_spans) if self._long else [])
        )

    def _spans(self, text: str) -> list[tuple[int, int]]:
        # Every match found in the text as given, then each run of overlapping ones masked whole: masked
        # one after the other, a value found first could hide the start of another and leave its end.
        encoded = Encoded(text) if self._short or any(self._long_filters) else None
        spans = self._long_spans(text, encoded)
        for kind, filters in zip(self._short, self._short_filters, strict=True):
            starts = None if filters is None or encoded is None else starts_in(filters, encoded)
            spans += _at_every_start(kind, text, starts)
        if self._short_decoded is not None and self._short_decoded_found(text, encoded):
            matcher = functools.partial(_match_spans, self._short_decoded[1], self._short_decoded[3])
            spans += encoded_spans(text, matcher, short=True)
        if not len(self._literals):
            return spans
        # What a plan chose is held as literals, never as base64 or hex (orchestra/encoded_spans.py): the
        # text's encoded runs are decoded and looked through instead (a server echoing a header base64'd,
        # Basic credentials around a plan's password, a JWT's claims).
        return (
            spans + _within_numbers_left(text, self._literals.spans(text)) + encoded_spans(text, self._literals.spans)
        )

    def _long_spans(self, text: str, encoded: Encoded | None = None) -> list[tuple[int, int]]:
        """The long secrets' matches. Each pattern is tried only where RE2 finds that one of its forms begins (its
        prefilter): tried by ``re`` at every character, each of the worker's secret settings cost about 0.25 s a
        megabyte of every tool's output (and seconds for ten of them), though almost none holds a secret."""
        if encoded is None and any(self._long_filters):
            encoded = Encoded(text)
        return [
            span
            for secret, filters in zip(self._long, self._long_filters, strict=True)
            for span in (
                matches_past(filters, encoded, functools.partial(_match_end_of, secret, text))
                if filters is not None and encoded is not None and encoded.ascii
                else _matches_of(
                    secret, text, None if filters is None or encoded is None else starts_in(filters, encoded)
                )
            )
        ]

    def _short_decoded_found(self, text: str, encoded: Encoded | None) -> bool:
        assert self._short_decoded is not None
        if encoded is not None and (gates := prefilters(self._short_decoded[2])) is not None:
            return any(gate.found(encoded) for gate in gates)
        return self._short_decoded[0].search(text) is not None

    @functools.cached_property
    def _short_filters(self) -> tuple[tuple[Prefilter, ...] | None, ...]:
        return _short_prefilters(self._short_secrets) if self._short_secrets else ()

    def value(self, value: Any) -> Any:
        if not (self._long or self._short or len(self._literals)):
            return value
        copy = rebuilt_each(value, self.texts)
        self._mask_across(copy)
        return copy

    def _mask_across(self, copy: Any) -> None:
        """A secret that runs from one string of a list or a mapping into the next (in their order) masked
        in both, in ``copy`` (ours: changed in place): a server's text cut into content blocks, a secret
        echoed at the end of one and the start of the next, showed each half in clear in the history,
        whole to whoever read them in order. Strings of different containers are not joined."""
        # A string alone is no container: read as one, each of its characters was a text to join (a megabyte's
        # string, a million texts: seconds).
        pending, seen = [copy] if isinstance(copy, Mapping | list) else [], set()
        joined: list[tuple[Any, list[Any]]] = []  # each container, and its slots holding a string
        while pending:
            container = pending.pop()
            if id(container) in seen:
                continue
            seen.add(id(container))
            slots = list(container) if isinstance(container, Mapping) else range(len(container))
            texts = [slot for slot in slots if isinstance(container[slot], str)]
            pending += [container[slot] for slot in slots if isinstance(container[slot], Mapping | list)]
            if len(texts) > 1:
                joined.append((container, texts))
        # Every container's strings read in one call, each container's apart from the next by TEXTS_APART, which no
        # form holds or runs past: a call each was every matcher's fixed cost 10^4 times for an output of 10^4 rows
        # (most of a megabyte's masking). A secret holding it could join two containers: those are read apart.
        apart = any(TEXTS_APART in secret for secret in self._secrets) or TEXTS_APART in self.mask
        changed: list[tuple[Any, Any]] = []
        for group in [[one] for one in joined] if apart else [joined] if joined else []:
            places: list[tuple[Any, Any] | None] = [  # None: a separator
                place for container, slots in group for place in [None, *((container, slot) for slot in slots)]
            ]
            strings = [TEXTS_APART if place is None else place[0][place[1]] for place in places]
            for place, parts in zip(places, across_ends(strings, self.spans, self._margin), strict=True):
                if parts and place is not None:
                    place[0][place[1]] = masked(place[0][place[1]], parts, self.mask)
                    changed.append(place)
        # A mask put here is an edge too: what it made a word of its own beside it is masked now ('pin7' + the
        # half of a long secret that ran into the next string: 'pin7***').
        for (container, slot), text in zip(changed, self.texts([c[s] for c, s in changed]), strict=True):
            container[slot] = text

    @functools.cached_property
    def _margin(self) -> int:
        """The most characters of a secret's form on one side of where two texts meet (values as written
        have no bound: a plan's may be a mebibyte; the history's masker has only secrets)."""
        unbounded = len(self._literals) or any(TEXTS_APART in secret for secret in self._secrets)
        return 1 << 62 if unbounded else longest_form(self._secrets)


# A value as written is found decoded too (orchestra/encoded_spans.py): each of its bytes up to 3 characters of the text
# (``%xx``; hex 2, base64 4/3), and base64's run may begin 3 characters early.
DECODED_CHARACTERS_PER_BYTE = 3
DECODED_SKIP = 4


def _short_in_decoded(
    secrets: Iterable[str],
) -> tuple[re.Pattern[str], tuple[re.Pattern[str], ...], tuple[str, ...], tuple[tuple[str, ...], ...]] | None:
    """For the short secrets (``SHORT_SECRET``) that have encodings: a pattern of their base64 and hex forms
    anywhere, and theirs as whole tokens of what a base64 or hex run decodes to (one a kind of token edge). Whole in the encoded
    text itself they never are (a run's letters and digits on either side): 'Basic ' + base64('user:' + a
    7-character password), a PIN in base64'd JSON or a hex dump showed it in clear. The runs are decoded only
    in a text where the first finds a form: decoding every text cost 10 to 30 times the masking. Last, the second's
    cores (``short_secrets_cores``): where a match of each may begin (``_match_spans``)."""
    short = sorted(
        (s for s in secrets if MIN_ENCODED_LENGTH <= len(s) < SHORT_SECRET and is_utf8(s)), key=len, reverse=True
    )
    if not short:
        return None
    # The forms encoded_spans decodes: base64 (either alphabet) and hex (bare, in pairs, in a hex dump).
    url_safe = (core.translate(URL_SAFE) for s in short for core in _aligned_cores(s.encode(), base64.b64encode, 6, 3))
    forms = [
        # Hex of its UTF-8, and of its UTF-16 either way (a dump of a wide string): ``_number_patterns``' first, third
        # and fourth.
        *(form for s in short for form in (*_base64_patterns(s), *_number_patterns(s)[0:4:2], _number_patterns(s)[3])),
        *(re.escape(core) for core in sorted(set(url_safe)) if len(core) >= MIN_ENCODED_LENGTH),
    ]
    # Decoded bytes are read as Latin-1 (encoded_spans): a secret's UTF-8 so read.
    parts = [(s, re.escape(s.encode().decode("latin-1")), True) for s in short]
    whole = _whole_tokens_by_kind(parts)
    cores = tuple(tuple(patterns) for _, _, patterns in _kinds(parts))
    # Their UTF-16 too, in the first pattern (one more to compile per masker cost every masker's build).
    wide = [_wide_whole_tokens(short, order) for order in ("utf-16-le", "utf-16-be")]
    whole[0] = "|".join([whole[0], *(pattern for pattern, _ in wide)])
    cores = ((*cores[0], *(core for _, cores_ in wide for core in cores_)), *cores[1:])
    return re.compile("|".join(forms)), tuple(map(re.compile, whole)), tuple(forms), cores


# A letter or digit before a secret's UTF-16 and after it, in each byte order, read as Latin-1 (as a base64 or hex run
# is decoded): one UTF-16 unit, or at the decoded text's start (big-endian) or end (little-endian), where a run of the
# other byte order, read a byte off, leaves half a unit (UTF-16BE '20261' read as little-endian '2026' and a '1').
_WIDE_BEFORE = {
    "utf-16-le": r"(?<![0-9A-Za-z]\x00)",
    "utf-16-be": r"(?<!\x00[0-9A-Za-z])(?<!^[0-9A-Za-z])(?<!\ud800[0-9A-Za-z])",
}
_WIDE_AFTER = {"utf-16-le": r"(?![0-9A-Za-z](?:\x00|\ud800|\Z))", "utf-16-be": r"(?!\x00[0-9A-Za-z])"}


def _wide_whole_tokens(short: Sequence[str], order: str) -> tuple[str, tuple[str, ...]]:
    """The short secrets' UTF-16 (``order``) read as Latin-1, each as a whole token of the UTF-16 text it is in (the
    unit before and the unit after it no letter or digit, on each side where the secret ends in one), as one
    pattern; and its cores, for a prefilter. Base64 of a UTF-16 text (PowerShell's ``-EncodedCommand``, a Java
    tool's bytes) was decoded and read for the secrets' UTF-8 only: 'hunt2!x' in it stood in clear."""
    patterns, cores = [], []
    for secret in short:
        core = "".join(f"\\x{byte:02x}" for byte in secret.encode(order))
        before = _WIDE_BEFORE[order] if _is_token_char(secret[:1]) else ""
        after = _WIDE_AFTER[order] if _is_token_char(secret[-1:]) else ""
        patterns.append(f"{before}{core}{after}")
        cores.append(core)
    return "|".join(patterns), tuple(cores)


def _match_spans(
    patterns: tuple[re.Pattern[str], ...], cores: tuple[tuple[str, ...], ...], text: str
) -> list[tuple[int, int]]:
    """Each of ``patterns``' matches in ``text`` (a text's base64 and hex runs decoded), as ``finditer`` finds them,
    tried only where RE2 finds one of its ``cores`` begins: ``finditer`` tried the edges at every character, and a
    tool printing a megabyte of random base64 (a binary blob, or on purpose) cost 7-13 s with 50-200 short secrets,
    holding the GIL (every other step's heartbeat with it)."""
    encoded = Encoded(text)
    spans: list[tuple[int, int]] = []
    for pattern, kind in zip(patterns, cores, strict=True):
        filters = prefilters(kind)
        spans += _matches_from(pattern, text, None if filters is None else starts_in(filters, encoded))
    return spans


def _matches_from(pattern: re.Pattern[str], text: str, starts: Sequence[int] | None) -> list[tuple[int, int]]:
    """``pattern``'s matches in ``text`` as ``finditer`` finds them (empty ones left out), tried only at ``starts``
    (where a prefilter finds one may begin, in order; None: everywhere)."""
    if starts is None:
        return [match.span() for match in pattern.finditer(text) if match.end() > match.start()]
    spans: list[tuple[int, int]] = []
    end = 0  # as finditer: the next match begins where the last one ended, or after
    for start in starts:
        if start >= end and (match := pattern.match(text, start)) is not None and match.end() > start:
            spans.append(match.span())
            end = match.end()
    return spans


def _matches_of(secret: str, text: str, starts: Sequence[int] | None) -> list[tuple[int, int]]:
    """``_matches_from`` of ``secret``'s pattern, compiled only if it is tried somewhere."""
    return _matches_from(_compiled(secret), text, starts) if starts is None or starts else []


def _match_end_of(secret: str, text: str, start: int) -> int | None:
    """``_match_end`` of ``secret``'s pattern, compiled (once, cached) where a prefilter first finds a start."""
    return _match_end(_compiled(secret), text, start)


def _match_end(pattern: re.Pattern[str], text: str, start: int) -> int | None:
    """Where ``pattern``'s match at ``start`` ends; None if it has none there."""
    match = pattern.match(text, start)
    return None if match is None else match.end()


def _within_numbers_left(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` but for those of digits alone inside a longer number: a plan's header of digits (a page
    size, an account's number) blanked every number holding them (``took [REDACTED]0 ms``). Where it is a
    number of its own (``pin 482193``, ``=482193&``) it is masked still."""
    return [
        (begin, end)
        for begin, end in spans
        if not (
            _DIGITS.fullmatch(text, begin, end)
            and ((begin and text[begin - 1] in _DIGIT_SET) or (end < len(text) and text[end] in _DIGIT_SET))
        )
    ]


_DIGITS = re.compile(r"[0-9]+")
_DIGIT_SET = frozenset("0123456789")


def rebuilt(value: Any, text: Callable[[str], str], keep: Callable[[Any, Any], Any] | None = None) -> Any:
    """A copy of the JSON-like ``value`` with ``text`` applied to each string, keys included; ``keep(key,
    item)`` may give a mapping's item its replacement (anything but None). Built without recursion, so
    bounded by the value's size, never its depth: a value nested deeper than Python's recursion limit
    raised RecursionError (a retried activity), and the log's walk stopped at 12 levels, unmasked below.
    A container met twice is copied once (a shared part stays shared, a cycle stays a cycle)."""
    if isinstance(value, str):
        return text(value)
    if not isinstance(value, Mapping | list | tuple):
        return value
    copies: dict[int, Any] = {}

    def copy_of(item: Any) -> Any:
        if isinstance(item, str):
            return text(item)
        if type(item) in _LEAVES or not isinstance(item, Mapping | list | tuple):  # Mapping's check: the slow one
            return item
        if id(item) not in copies:
            copies[id(item)] = {} if isinstance(item, Mapping) else []
            pending.append(item)
        return copies[id(item)]

    pending: list[Any] = []
    numbers: dict[tuple[int, Any], int] = {}  # the next number to try for a key of a mapping (_distinct)
    root = copy_of(value)
    while pending:
        source = pending.pop()
        target = copies[id(source)]
        if isinstance(source, Mapping):
            keys = [(key, _key(key, text)) for key in source]
            # A key the masking left as it was keeps its name, whatever comes before it: a tool's own "***"
            # or "***#2" is never renamed, and a masked key is never given its name.
            own = {masked for key, masked in keys if masked == key}
            for key, masked in keys:
                item = source[key]
                replaced = keep(key, item) if keep is not None else None
                name = masked if masked == key else _distinct(masked, target, own, numbers)
                target[name] = replaced if replaced is not None else copy_of(item)
        else:
            target.extend(copy_of(item) for item in source)
    return root


# What a JSON value holds besides strings and containers, known at once (no Mapping's subclass check).
_LEAVES = frozenset({int, float, bool, type(None)})


def rebuilt_each(
    value: Any, texts: Callable[[list[str]], list[str]], keep: Callable[[Any, Any], Any] | None = None
) -> Any:
    """``rebuilt``, its strings (keys too) given to ``texts`` at once, each distinct one once: a value of many
    small texts was a pass of every matcher for each (2x10^4 texts of a log line, 3.4 s)."""
    found: dict[str, None] = {}
    rebuilt(value, lambda text: found.setdefault(text) or text)
    distinct = list(found)
    changed = dict(zip(distinct, texts(distinct), strict=True))
    return rebuilt(value, changed.__getitem__, keep)


def _distinct(key: Any, taken: Mapping[Any, Any], own: set[Any], numbers: dict[tuple[int, Any], int]) -> Any:
    """``key``, a masked key, or, if another key of the mapping has that text (``{secret: 1,
    base64(secret): 2}`` both become ``***``; or the mapping's own ``own`` keys, masked or not, say a
    literal ``***``), the first of ``key#2``, ``key#3``... not taken: the later item replaced the earlier
    one, a value lost and what was left looking whole. ``numbers`` remembers where each search stopped:
    50,000 keys masked alike (the secret in as many letter cases) are 50,000 steps, not a billion."""
    if (key not in taken and key not in own) or not isinstance(key, str | tuple):
        return key
    slot = (id(taken), key)
    number = numbers.get(slot, 2)
    while (found := f"{key}#{number}" if isinstance(key, str) else (*key, f"#{number}")) in taken or found in own:
        number += 1
    numbers[slot] = number + 1
    return found


def _key(key: Any, text: Callable[[str], str]) -> Any:
    """A mapping's key masked and still a key: a tuple key copied as a list was unhashable, a TypeError
    out of every log call given such a mapping (the log's walk kept keys as they were). Keys are the
    program's, never a document's (JSON's are text): their nesting is not the input's to choose."""
    if isinstance(key, str):
        return text(key)
    if isinstance(key, tuple):
        return tuple(_key(part, text) for part in key)
    return key


class _CompiledOnce:
    """A secret's pattern compiled once a process (cached: above the log redaction's MAX_REMEMBERED), by one thread
    while others asking for it wait: the first texts holding a setting, masked at once in two threads, each compiled
    it (tenths of a second each)."""

    def __init__(self) -> None:
        self._cached = functools.lru_cache(maxsize=4096)(self._compile)
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    @staticmethod
    def _compile(secret: str) -> re.Pattern[str]:
        return re.compile(secret_pattern(secret))

    def __call__(self, secret: str) -> re.Pattern[str]:
        with self._guard:
            if len(self._locks) > 4096:  # each a secret's; one in use is held by its thread still
                self._locks.clear()
            lock = self._locks.setdefault(secret, threading.Lock())
        with lock:
            return self._cached(secret)

    def cache_clear(self) -> None:
        self._cached.cache_clear()


_compiled = _CompiledOnce()


# The longest of a secret's cores RE2 is given: a 1,700-byte key's encoded forms (3,000,000 characters) it could not
# compile, and it wrote thousands of lines of its failure on the worker's stderr at each new masker of it; 2,850,000 (a
# 1,600-byte one's) it did. Past it the secret's pattern is tried everywhere, as when RE2 fails.
_MOST_CORE = 2_500_000


@functools.lru_cache(maxsize=4096)  # as _compiled
def _long_prefilters(secret: str) -> tuple[Prefilter, ...] | None:
    """The prefilters of a long secret's ``secret_pattern`` (its every form, edges-free already); None for one that
    is no UTF-8 (RE2 reads UTF-8) or whose forms RE2 cannot take: its pattern is then tried everywhere."""
    if not is_utf8(secret):
        return None
    cores = _spelt_and_encoded(secret)
    if max(map(len, cores)) > _MOST_CORE:
        return None
    # One automaton of both where it has room (its DFA's memory): each is a pass over every text, twice the time.
    one = prefilter("|".join(f"(?:{core})" for core in cores)) if sum(map(len, cores)) <= _ONE_PREFILTER else None
    return (one,) if one is not None else prefilters(cores)


# The most pattern characters of a secret's forms read by one prefilter (three keys' forms of 44 to 64 characters,
# 248,000, were read at the speed of one; all of ten keys' ran RE2's automaton out of memory, seconds a megabyte).
_ONE_PREFILTER = 250_000


@functools.lru_cache(maxsize=64)
def _short_compiled(secrets: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(map(re.compile, short_secrets_patterns(secrets)))


@functools.lru_cache(maxsize=64)
def _short_prefilters(secrets: tuple[str, ...]) -> tuple[tuple[Prefilter, ...] | None, ...]:
    """The prefilters of each of ``_short_compiled``'s patterns, in its order (None: that one has none)."""
    return tuple(prefilters(tuple(cores)) for cores in short_secrets_cores(secrets))


def _at_every_start(regex: re.Pattern[str], text: str, starts: Sequence[int] | None = None) -> list[tuple[int, int]]:
    """Every match of ``regex`` by where it begins, one overlapping another too: of one pattern of many secrets,
    a match of one must not hide another's that begins inside it and ends beyond (each masked whole). ``starts``:
    where a match may begin (a prefilter's; None: anywhere)."""
    if starts is not None:
        return [
            match.span()
            for start in starts
            if (match := regex.match(text, start)) is not None and match.end() > match.start()
        ]
    spans, at = [], 0
    while (match := regex.search(text, at)) is not None:
        if match.end() > match.start():
            spans.append(match.span())
        at = match.start() + 1
    return spans


def mask_secrets(value: Any, secrets: list[str]) -> Any:
    """``value`` with every occurrence of the given secret values, in any common encoding, replaced by ``***``."""
    return Masker(secrets).value(value)


def settings_masker() -> Masker:
    """The masker of the process's secret settings (orchestra/secret_settings.py: TEMPORAL_API_KEY, the codec's keys,
    every ORCHESTRA_SECRET_*...), for what goes into a history: a tool's error quoting the worker's codec key reached
    the activity's failure in clear, masked with the call's own secrets only. Made again only when they change."""
    return _masker_of(tuple(sorted(set(secret_settings()))))


@functools.lru_cache(maxsize=4)
def _masker_of(secrets: tuple[str, ...]) -> Masker:
    """The settings' masker, its patterns compiled meanwhile in a thread of their own: it is used on the event loop
    too (a tool's ``quote_start``, an MCP listing's failure), where a pattern compiled at its first find held every
    activity's heartbeat (0.2 to 0.6 s a key). Compiling is Python, the GIL handed back every few milliseconds."""
    masker = Masker(secrets)
    threading.Thread(target=masker.compile_all, name="settings-masker-compile", daemon=True).start()
    return masker


def settings_longest_form() -> int:
    """``longest_form`` of the process's secret settings: how far past a cut a tool must mask for one of them not to be
    left half (its start kept, unmatched) in an output it cut short. Measured again only when they change."""
    return _longest_form_of(tuple(sorted(set(secret_settings()))))


@functools.lru_cache(maxsize=4)
def _longest_form_of(secrets: tuple[str, ...]) -> int:
    return longest_form(secrets)
