"""Text encodings by name: which ones are read and written here, and how a name someone else wrote
(a server's ``charset``, a plan's ``encoding``) is recognised, without asking Python's codec registry.

Python's registry caches every name it is asked for, found or not (``encodings._cache`` keeps a None
for each miss, the interpreter's own cache every spelling that resolves, ``utf--8`` and ``utf---8``
alike), and never forgets: a server sending a new charset on each response would grow the worker's
memory without bound. So a name is normalised here (ASCII letters and digits only, lower case:
``CP-1252``, ``cp_1252`` and ``Windows 1252`` read alike, as the WHATWG labels and Python's aliases
do) and looked up in a table built once, on first use, from TEXT_ENCODING_NAMES: the registry is only
ever asked for those.
"""

from __future__ import annotations

import codecs
from encodings.aliases import aliases
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

# Text encodings a tool decodes and encodes, all in linear time: the Unicode ones, the legacy ones web
# pages are written in (the WHATWG Encoding Standard's) and the other character sets of Python's own
# (DOS and EBCDIC code pages, Mac and ISO tables, the CJK ones), which files are still written in. Not
# every codec Python has: punycode and idna are quadratic (a 160 KB body took 7 s, on the worker's event
# loop, which every other step shares); rot13, hex or zlib are no text encodings at all; unicode_escape,
# raw_unicode_escape and utf-7 read escapes as characters (UTF-7 is a known way around filters).
TEXT_ENCODING_NAMES = (
        "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "ascii",
        *(f"iso8859-{n}" for n in (*range(1, 12), *range(13, 17))), *(f"cp125{n}" for n in range(9)),
        "cp437", "cp850", "cp866", "cp874", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic",
        "gbk", "gb2312", "gb18030", "big5", "big5hkscs", "euc_jp", "shift_jis", "cp932", "iso2022_jp",
        "euc_kr", "cp949", "cp950",
        "cp037", *(f"cp{n}" for n in (273, 424, 500, 720, 737, 775, 852, 855, 856, 857, 858, 860, 861, 862, 863,
                                      864, 865, 869, 875, 1006, 1026, 1125, 1140)),
        "hp-roman8", "koi8-t", "kz1048", "ptcp154", "tis-620", "palmos",
        *(f"mac-{n}" for n in ("arabic", "croatian", "farsi", "greek", "iceland", "latin2", "romanian", "turkish")),
        "euc_jis_2004", "euc_jisx0213", "shift_jis_2004", "shift_jisx0213", "hz", "johab", "iso2022_kr",
        *(f"iso2022_jp_{n}" for n in ("1", "2", "2004", "3", "ext")),
)  # fmt: skip


@cache
def text_encodings() -> frozenset[str]:
    """Python's names for TEXT_ENCODING_NAMES. Built on first use, not at import: looking a name up imports
    its codec's module, a hundred of them, which every ``client.py`` call would pay for."""
    return frozenset(codecs.lookup(name).name for name in TEXT_ENCODING_NAMES)


# The WHATWG Encoding Standard's labels Python has no alias for (where Python knows a label, its meaning
# stays: ``iso-8859-1`` is Latin-1 here, as a file's encoding must be, though browsers read cp1252).
WHATWG_LABELS = {
    **{f"x-cp125{n}": f"cp125{n}" for n in range(9)},
    **{f"windows-125{n}": f"cp125{n}" for n in range(9)},
    "unicode-1-1-utf-8": "utf-8", "unicode11utf8": "utf-8", "unicode20utf8": "utf-8", "x-unicode20utf8": "utf-8",
    "unicodefeff": "utf-16-le", "unicodefffe": "utf-16-be", "csunicode": "utf-16-le",
    "csibm866": "cp866", "dos-874": "cp874", "windows-874": "cp874", "iso-8859-11": "iso8859-11",
    "csisolatin9": "iso8859-15", "l9": "iso8859-15", "iso-8859-8-i": "iso8859-8", "csiso88598i": "iso8859-8",
    "logical": "iso8859-8", "visual": "iso8859-8", "csiso88598e": "iso8859-8", "csiso88596e": "iso8859-6",
    "csiso88596i": "iso8859-6", "cskoi8r": "koi8-r", "koi": "koi8-r", "koi8": "koi8-r", "koi8-ru": "koi8-u",
    "csmacintosh": "mac-roman", "mac": "mac-roman", "x-mac-roman": "mac-roman",
    "x-mac-cyrillic": "mac-cyrillic", "x-mac-ukrainian": "mac-cyrillic",
    "x-gbk": "gbk", "cn-big5": "big5", "csbig5": "big5", "x-x-big5": "big5", "big5-hkscs": "big5hkscs",
    "cseucpkdfmtjapanese": "euc_jp", "x-euc-jp": "euc_jp", "csiso2022jp": "iso2022_jp",
    "csshiftjis": "shift_jis", "x-sjis": "shift_jis", "windows-31j": "cp932",
    "cseuckr": "euc_kr", "csksc56011987": "euc_kr", "iso-ir-149": "euc_kr", "windows-949": "cp949",
}  # fmt: skip
MAX_NAME_LENGTH = 64  # the longest label or alias is 30 characters; anything longer names nothing


def normalised(name: str) -> str:
    """``name`` as it is looked up: ASCII letters and digits, lower case (``CP-1252`` -> ``cp1252``)."""
    return "".join(c for c in name.lower() if c.isascii() and c.isalnum())


@cache
def _spellings() -> dict[str, str]:
    """Every spelling of every text encoding here, normalised, to Python's name for it."""
    spellings: dict[str, str] = {}
    known = text_encodings()
    names = [*aliases.items(), *WHATWG_LABELS.items(), *((name, name) for name in known)]
    for spelling, target in names:
        try:
            canonical = codecs.lookup(target).name  # a fixed name: the registry caches only these
        except LookupError:
            continue  # a Windows-only codec (mbcs, oem)
        if canonical not in known:
            continue  # an alias of a codec that is not a text encoding here (rot13, idna, …)
        key = normalised(spelling)
        if spellings.setdefault(key, canonical) != canonical:  # pragma: no cover - checked when the table changes
            raise AssertionError(f"{spelling!r} reads as {key!r}, which names both {spellings[key]} and {canonical}")
    return spellings


def text_encoding(name: str) -> str | None:
    """Python's name for the text encoding ``name`` (any spelling of any of its aliases or WHATWG labels),
    if it is one of text_encodings(); None otherwise. Never asks the codec registry about ``name``."""
    if len(name) > MAX_NAME_LENGTH:
        return None
    return _spellings().get(normalised(name))


def encoding_problem(name: str) -> str | None:
    """Why ``name`` is no encoding here, the name unquoted: a step's value may be given as the encoding (a
    secret, masked but quoted, or personal data), and the message reaches the history and the log."""
    if text_encoding(name) is None:
        return "the encoding named is not one of the text encodings read and written here (utf-8, latin-1, cp1252, …)"
    return None


async def pin_response_encoding(response: httpx.Response) -> None:
    """Decide the response's text encoding here: httpx would ask the codec registry about the server's
    charset (``Response.encoding``). An unknown one reads as UTF-8. An httpx response event hook."""
    response.encoding = text_encoding(response.charset_encoding or "utf-8") or "utf-8"
