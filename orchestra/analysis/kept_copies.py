"""A copy kept of what a request loses ("Delete notes.txt, but keep a copy of it in b.txt"): the copy is work, made
before the file goes, and where it goes is a destination. Read as said, notes.txt was deleted, then b.txt read and
written to a path asked for (no copy of notes.txt was ever made)."""

from __future__ import annotations

import re

from orchestra.analysis.data import Extracted
from orchestra.lazy_regex import lazy_compile

# "keep a copy of it in @p1", "save a backup of @p0 as @p1", "leave a duplicate of them at @p1".
_COPY_KEPT = lazy_compile(
    r"\b(?:keep|keeping|save|saving|make|making|leave|leaving)\s+(?:a|one)\s+(?:copy|backup|duplicate)\s+of\s+"
    r"(it|them|@p\d+)\s+(?:in|at|as|to|into)\s+@p(\d+)\b",
    re.IGNORECASE,
)


def copies_kept(extracted: Extracted) -> None:
    """``extracted``'s request with each copy kept said as the copy made first ("first copy it to @p1"), its place a
    destination."""
    places: list[int] = []

    def copy_first(kept: re.Match[str]) -> str:
        places.append(int(kept.group(2)))
        return f"first copy {kept.group(1)} to @p{kept.group(2)}"

    extracted.text = _COPY_KEPT.sub(copy_first, extracted.text)
    extracted.sent_to.update(places)
