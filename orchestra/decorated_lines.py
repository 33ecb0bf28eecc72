"""A text read without what decorates its lines: each line's number (``cat -n``'s and ``nl``'s '     1\\t', ``grep -n``'s
'12:', '3. ') and the lines between that hold no letter or digit (a blank line, a line of '*', '-----', '# ---').

A long secret printed a piece a line with one of these between (``fold -w4 | sed G``, ``fold -w4 | cat -n``, chunks with
a separator line between) was in clear: the masker's forms join only a line's end to the next line's start. Read
without them, the pieces are lines next to each other, as a wrapped secret is. A view only: the text itself is read as
it is too, so dropping more than a decoration (a line that begins with a number) can only find what spells a secret.
"""

from __future__ import annotations

import re

from orchestra.encoded_spans import Finder
from orchestra.literal_set import TEXTS_APART

# A line's number: spaces, digits, then a tab or spaces (after a '.' or ')'), or a ':' or '|' (grep -n's, a table's).
_NUMBER = r"[ \t]{0,16}[0-9]{1,9}(?:[.)]?[ \t]{1,16}|[:|][ \t]{0,16})"
# A line of nothing but spaces and signs, its break after it (a line's end is each text's own: TEXTS_APART is none).
_EMPTY_LINE = rf"[^\w\r\n{TEXTS_APART}]*(?:\r\n|\r|\n)"
# After a line's break: its number, and each line after it that holds no letter or digit, theirs too; dropped but for
# the break. Only what follows a break is between two pieces of a secret: a text's first line needs none dropped. Looked
# for from each break, which ``re`` finds at C's speed, and dropped by ``sub`` (a megabyte of words 'N: ...' a line, 6 ms;
# tried from each line's start, '(?m)^', and read with ``finditer``, 45 to 70 ms).
_DECORATION = re.compile(rf"\n(?:(?:{_NUMBER})(?:{_EMPTY_LINE}(?:{_NUMBER})?)*|(?:{_EMPTY_LINE}(?:{_NUMBER})?)+)")


def undecorated_spans(text: str, find: Finder) -> list[tuple[int, int]]:
    """What ``find`` finds in ``text`` read without its lines' numbers and the lines between holding no letter or digit,
    as the characters of ``text`` holding it (what was dropped inside it too); none if it has no such decoration."""
    if "\n" not in text:
        return []
    view, count = _DECORATION.subn("\n", text)
    if not count:
        return []
    spans = [(begin, end) for begin, end in find(view) if begin < end]
    if not spans:
        return []
    places: list[int] = []
    done = 0
    for dropped in _DECORATION.finditer(text):  # as subn found them: each break kept, what follows it dropped
        places += range(done, dropped.start() + 1)
        done = dropped.end()
    places += range(done, len(text))
    return [(places[begin], places[end - 1] + 1) for begin, end in spans]


def in_an_empty_line(text: str, mark: str) -> bool:
    """Whether ``mark`` (the masker's mask) is part of a line of ``text`` holding no letter or digit but its number (a
    line of '*' holds '***'): the masker reads only between its masks, and a secret's pieces apart by such lines were
    never joined."""
    if not mark or re.search(r"[\w\r\n]", mark) or mark not in text:
        return False
    line = rf"[^\w\r\n{TEXTS_APART}]*"
    return re.search(rf"(?m)^(?:{_NUMBER})?{line}{re.escape(mark)}{line}$", text) is not None
