"""The characters that show as nothing, or only as a mark on the character before, as a regex (``INVISIBLE``) of any
number of them, as they are or JSON-escaped (once or twice): between two of a secret's characters the secret reads
whole to anyone ('hun\\u200bter2', 'h\\u0336u\\u0336n...' struck through). What a screen shows as nothing
(orchestra/text.py's ``INVISIBLE_RANGES``: format and bidi controls, fillers, tags; half a surrogate pair aside),
Unicode's other default ignorables (variation selectors, the grapheme joiner U+034F) and the combining marks' own
blocks: a list of six let U+180E, U+034F, U+115F, U+202E, U+2066 and U+E0041 through."""

from __future__ import annotations

from orchestra.text import INVISIBLE_RANGES

_SURROGATES = (0xD800, 0xDFFF)
# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt) besides the format characters, and the
# Combining Diacritical Marks blocks.
_IGNORABLE_MORE = (
    (0x0300, 0x036F),  # combining diacritical marks (U+034F, the grapheme joiner, among them)
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x1AB0, 0x1AFF),  # combining diacritical marks extended
    (0x1DC0, 0x1DFF),  # combining diacritical marks supplement
    (0x20D0, 0x20FF),  # combining diacritical marks for symbols
    (0xFE00, 0xFE0F),
    (0xFE20, 0xFE2F),  # combining half marks
    (0xFFF0, 0xFFF8),
    (0xE0000, 0xE0FFF),  # tags, variation selectors supplement
)


def _merged(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(last, merged[-1][1]))
        else:
            merged.append((first, last))
    return tuple(merged)


IGNORABLE_RANGES = _merged([*(one for one in INVISIBLE_RANGES if one != _SURROGATES), *_IGNORABLE_MORE])


def _hex_digits(first: int, last: int) -> str:
    if first == last:
        return f"{first:x}"
    parts = [(a, b) for a, b in ((first, min(last, 9)), (max(first, 10), last)) if a <= b]
    return "[" + "".join(f"{a:x}" if a == b else f"{a:x}-{b:x}" for a, b in parts) + "]"


def _hex_range(first: int, last: int, width: int) -> list[str]:
    """Regexes of the ``width``-digit hex numbers from ``first`` to ``last`` (small letters; matched ignoring case)."""
    if width == 0:
        return [""]
    step = 16 ** (width - 1)
    (high, low), (last_high, last_low) = divmod(first, step), divmod(last, step)
    if high == last_high:
        return [f"{high:x}{rest}" for rest in _hex_range(low, last_low, width - 1)]
    head = [f"{high:x}{rest}" for rest in _hex_range(low, step - 1, width - 1)] if low else []
    tail = [f"{last_high:x}{rest}" for rest in _hex_range(0, last_low, width - 1)] if last_low != step - 1 else []
    middle_first, middle_last = high + (1 if low else 0), last_high - (1 if tail else 0)
    middle = [_hex_digits(middle_first, middle_last) + "[0-9a-f]" * (width - 1)] if middle_first <= middle_last else []
    return head + middle + tail


def _escaped(first: int, last: int) -> list[str]:
    """The code points ``first`` to ``last`` as JSON escapes them after its ``\\u``: beyond U+FFFF, surrogate pairs."""
    if last <= 0xFFFF:
        return _hex_range(first, last, 4)
    forms = []
    for high in range((first - 0x10000) >> 10, ((last - 0x10000) >> 10) + 1):
        low_first = max(first, 0x10000 + (high << 10)) - 0x10000 - (high << 10)
        low_last = min(last, 0x10000 + (high << 10) + 0x3FF) - 0x10000 - (high << 10)
        lows = "|".join(_hex_range(0xDC00 + low_first, 0xDC00 + low_last, 4))
        forms.append(f"{0xD800 + high:x}\\\\{{1,2}}u(?:{lows})")
    return forms


_RAW = "".join(chr(first) if first == last else f"{chr(first)}-{chr(last)}" for first, last in IGNORABLE_RANGES)
_ESCAPES = "|".join(form for first, last in IGNORABLE_RANGES for form in _escaped(first, last))
INVISIBLE = rf"(?:[{_RAW}]|\\{{1,2}}u(?i:{_ESCAPES}))*"
# Unicode's spaces (White_Space but the line breaks): between two of a long secret's characters or pieces the secret
# reads whole too ('c\u00a0o\u00a0r...', pieces apart by U+2003), and was shown in clear. A separate pattern: a short
# secret (a PIN) is read as a whole token only, and digits apart by spaces are every table's.
SPACE_RANGES: tuple[tuple[int, int], ...] = (
    (0x09, 0x09),
    (0x0B, 0x0C),
    (0x20, 0x20),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
)
_SPACES_RAW = "".join(chr(first) if first == last else f"{chr(first)}-{chr(last)}" for first, last in SPACE_RANGES)
_SPACES_ESCAPED = "|".join(form for first, last in SPACE_RANGES if first >= 0x80 for form in _escaped(first, last))
# Invisible characters and spaces, any number in any order (JSON's ``\u00a0`` too).
RAW_SPACED = _RAW + _SPACES_RAW
SPACES = f"[{_SPACES_RAW}]*"  # spaces alone, as they are (an indent after a line's end)
SPACED = rf"(?:[{RAW_SPACED}]|\\{{1,2}}u(?i:{_ESCAPES}|{_SPACES_ESCAPED}))*"
# The most characters one of them takes: a surrogate pair escaped twice.
LONGEST_ONE = len("\\\\udb40\\\\udc41")
# The raw characters alone, as a character class's body (orchestra/secret_prefilter.py).
RAW_INVISIBLE = _RAW
