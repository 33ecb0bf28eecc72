"""A secret's bytes in an encoding (UTF-8 of one that is not ASCII, UTF-16 and UTF-32 in either byte order) as an
escaping writes them: Python's ``repr`` of bytes (``Z\\x00m\\x00``, an exception quoting what a server sent: h11's
"illegal header line: bytearray(b'...')"), that text escaped once more (``Z\\\\x00m\\\\x00``: a repr inside a repr or
a JSON string), JSON's ``\\u0000``, C's ``\\0`` and ``\\000``; and each byte escaped (``\\x63\\x00``) or
percent-encoded (``%63%00``). Made into regular expressions for orchestra/secrets.py, which held
these encodings only as single bytes read them (a literal NUL between two letters): escaped, the secret's characters
stood in clear one by one with ``\\x00`` between.
"""

from __future__ import annotations

import re

ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
# A backslash written once, or escaped once more (the escape itself quoted by a repr or a JSON string).
_ESCAPE = r"\\{1,2}"
# The single-letter escapes of C and the languages after it: ``\t`` for a tab byte (Python's repr writes t, n, r).
_LETTERS = {7: "a", 8: "b", 9: "t", 10: "n", 11: "v", 12: "f", 13: "r"}
# The most characters one byte takes: two backslashes and ``u00e9``.
_BYTE_LONGEST = 2 + len("u00e9")


def escaped_patterns(secret: str) -> list[str]:
    """A regular expression (RE2 reads it too: the masker's prefilter) of each of ``secret``'s encodings escaped, where
    escaping writes it otherwise than the secret itself (an ASCII secret's UTF-8 is itself: the masker's own forms)."""
    escaped = [
        "".join(_byte(byte) for byte in data)
        for encoding in ENCODINGS
        if (data := secret.encode(encoding)) and not (encoding == "utf-8" and secret.isascii())
    ]
    # Every byte escaped (``\x63\x00``) or percent-encoded (``%63%00``), as a tool writing each byte so does: a wide
    # secret so was in clear (its UTF-8 so is the masker's own). Patterns of their own: a letter's either form in the
    # ones above cost the masker twice its time to make.
    wide = [secret.encode(encoding) for encoding in ENCODINGS[1:]]
    return escaped + [_every_byte(data, _ESCAPE + "x") for data in wide] + [_every_byte(data, "%") for data in wide]


def _every_byte(data: bytes, before: str) -> str:
    return "".join(f"{before}(?i:{byte:02x})" for byte in data)


def escaped_longest(secret: str) -> int:
    """The most characters one of ``escaped_patterns`` matches: every byte escaped, its backslash doubled."""
    return max((_BYTE_LONGEST * len(secret.encode(encoding)) for encoding in ENCODINGS), default=0)


def _byte(byte: int) -> str:
    """Every way an escaping writes ``byte``: a printable ASCII character as itself (a quote, a backslash or ``/``
    escaped in turn: repr's ``\\'``, JSON's ``\\/``), a Latin-1 letter as a str's repr shows it (``é``), and any byte
    as ``\\xe9`` (repr), ``\\u00e9`` (JSON), octal (``\\351``, ``\\0``) or its letter (``\\t``), in either case."""
    char = chr(byte)
    if 0x20 <= byte < 0x7F and char not in "\\'\"/":
        return re.escape(char)
    escapes = [f"(?i:x{byte:02x}|u00{byte:02x})", f"0{{0,2}}{byte:o}" if byte < 8 else f"0?{byte:o}"]
    if byte in _LETTERS:
        escapes.append(_LETTERS[byte])
    escaped = f"{_ESCAPE}(?:{'|'.join(escapes)})"
    if char == "\\":
        return rf"(?:\\{{2,4}}|{escaped})"
    if char in "'\"/":  # escaped, and that escape's backslash escaped in turn: ``\\\'``
        return rf"(?:(?:\\{{1,3}})?{re.escape(char)}|{escaped})"
    return f"(?:{re.escape(char)}|{escaped})" if byte > 0x7F and char.isprintable() else escaped
