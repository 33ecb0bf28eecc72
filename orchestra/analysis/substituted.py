"""Words changed for others in what a thing holds: "Replace the word cat with dog in notes.txt", "swap 'a' for 'b' in
it". Only a tool saying it changes or replaces does it: a translator found by meaning ("word") was planned, which
changes nothing asked and says nothing of it (issue 8). With none, the step is missing."""

from __future__ import annotations

import re

from orchestra.analysis.words import terms
from orchestra.lazy_regex import lazy_compile

# "replace X with Y", "substitute Y for X", "swap X for Y" ("replace @p0 with it", a file written over, is read as an
# overwrite by ``clauses`` before).
_SUBSTITUTION = lazy_compile(r"\s*(?:replace|substitute|swap)\s+\S.*?\s(?:with|for|by)\s+\S", re.IGNORECASE)
# What a tool's own words say when it changes what it is given ("Change an image as an instruction says").
CHANGING_TERMS = frozenset(terms("replace substitute swap edit change modify rewrite"))


def substitution_said(text: str) -> bool:
    """Whether a clause opens by putting one thing in another's place within what it works on."""
    return _SUBSTITUTION.match(text) is not None
