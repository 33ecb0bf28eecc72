"""The characters that show as nothing, or only as a mark on the character before, as a regex (``INVISIBLE``) of any
number of them, as they are or JSON-escaped (once or twice): between two of a secret's characters the secret reads
whole to anyone ('hun\\u200bter2', 'h\\u0336u\\u0336n\\u0336...' struck through). Unicode's Default_Ignorable_Code_Point
(format and bidi controls, fillers, variation selectors, tags: a list of six let U+180E, U+034F, U+115F, U+202E,
U+2066, U+E0041 through) and the combining marks' own blocks."""

from __future__ import annotations

# Unicode's DerivedCoreProperties.txt, Default_Ignorable_Code_Point, and the Combining Diacritical Marks blocks.
IGNORABLE_RANGES = (
    (0x00AD, 0x00AD),
    (0x0300, 0x036F),  # combining diacritical marks (U+034F, the grapheme joiner, among them)
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x1AB0, 0x1AFF),  # combining diacritical marks extended
    (0x1DC0, 0x1DFF),  # combining diacritical marks supplement
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x20D0, 0x20FF),  # combining diacritical marks for symbols
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFE20, 0xFE2F),  # combining half marks
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),  # tags, variation selectors supplement
)
# The same, as JSON writes them (\uXXXX, a surrogate pair beyond U+FFFF), hex digits in any case.
_ESCAPED = (
    "00ad|03[0-6][0-9a-f]|061c|115f|1160|17b[45]|180[b-f]|1a[b-f][0-9a-f]|1d[c-f][0-9a-f]|200[b-f]|202[a-e]"
    "|206[0-9a-f]|20[d-f][0-9a-f]|3164|fe0[0-9a-f]|fe2[0-9a-f]|feff|ffa0|fff[0-8]"
    r"|d82f\\{1,2}udca[0-3]|d834\\{1,2}udd7[3-9a]|db4[0-3]\\{1,2}ud[c-f][0-9a-f]{2}"
)
_RAW = "".join(chr(first) if first == last else f"{chr(first)}-{chr(last)}" for first, last in IGNORABLE_RANGES)
INVISIBLE = rf"(?:[{_RAW}]|\\{{1,2}}u(?i:{_ESCAPED}))*"
# The most characters one of them takes: a surrogate pair escaped twice.
LONGEST_ONE = len("\\\\udb40\\\\udc41")
