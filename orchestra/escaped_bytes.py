"""A secret's bytes in an encoding (UTF-8 of one that is not ASCII, UTF-16 and UTF-32 in either byte order) as an
escaping writes them: Python's ``repr`` of bytes (``Z\\x00m\\x00``, an exception quoting what a server sent: h11's
"illegal header line: bytearray(b'...')"), that text escaped once more (``Z\\\\x00m\\\\x00``: a repr inside a repr or
a JSON string), JSON's ``\\u0000``, C's ``\\0`` and ``\\000``, and percent-encoded (``%63%00``). A letter is matched
as itself or escaped (a tool escaping every byte). Made into regular expressions for orchestra/secrets.py, which held
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
    return [
        "".join(_byte(byte) for byte in data)
        for encoding in ENCODINGS
        if (data := secret.encode(encoding)) and not (encoding == "utf-8" and secret.isascii())
    ]


def escaped_longest(secret: str) -> int:
    """The most characters one of ``escaped_patterns`` matches: every byte escaped, its backslash doubled."""
    return max((_BYTE_LONGEST * len(secret.encode(encoding)) for encoding in ENCODINGS), default=0)


def _byte(byte: int) -> str:
    """Every way an escaping writes ``byte``: a printable ASCII character as itself (a quote, a backslash or ``/``
    escaped in turn: repr's ``\\'``, JSON's ``\\/``), a Latin-1 letter as a str's repr shows it (``é``), and any byte
    as ``\\xe9`` (repr), ``\\u00e9`` (JSON), octal (``\\351``, ``\\0``) or its letter (``\\t``), in either case."""
    char = chr(byte)
    escapes = [f"(?i:x{byte:02x}|u00{byte:02x})", f"0{{0,2}}{byte:o}" if byte < 8 else f"0?{byte:o}"]
    if byte in _LETTERS:
        escapes.append(_LETTERS[byte])
    # URL-encoded too (``%63%00``), and a letter escaped as well: a tool writing every byte so (``\x63\x00``) showed
    # a wide secret in clear, its UTF-8 so was masked.
    escaped = f"(?:{_ESCAPE}(?:{'|'.join(escapes)})|%(?i:{byte:02x}))"
    if 0x20 <= byte < 0x7F and char not in "\\'\"/":
        return f"(?:{re.escape(char)}|{escaped})"
    if char == "\\":
        return rf"(?:\\{{2,4}}|{escaped})"
    if char in "'\"/":  # escaped, and that escape's backslash escaped in turn: ``\\\'``
        return rf"(?:(?:\\{{1,3}})?{re.escape(char)}|{escaped})"
    return f"(?:{re.escape(char)}|{escaped})" if byte > 0x7F and char.isprintable() else escaped
