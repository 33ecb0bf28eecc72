"""What a noun of a clause is placed by or belongs to: "the items around the table", "the core aspects of this
conversation", "the number of rows in the table image". The noun before the preposition is what the work is about;
the words after it say where that is or whose it is, not what is to be done. A tool named by them (a table
classifier, a chat tool) is no more the one asked for than a picture tool is for every clause on a picture.
"""

from __future__ import annotations

from orchestra.analysis.words import ANAPHORA, STOP_WORDS, is_verb

# Prepositions that place a thing or say what it belongs to ("of"), after a noun.
PLACING = frozenset("around near behind beside beneath under among".split())
# Where what a preposition names ends: the next preposition of another role, or a clause's joint.
_ENDS = frozenset("into to for from with and or as by about that which who".split())
_PLACE_WORDS = 12  # no such phrase is longer: a thousand "of"s are read in linear time


def placing_words(lowered: list[str]) -> list[str]:
    """The words after a noun and a preposition placing it ("around the table" in "identify the items around the
    table"), as written. A preposition after a verb ("look in it") or a word pointing back ("it in French") places
    no noun; "the depth of the objects" places "objects"."""
    out: list[str] = []
    for position in range(1, len(lowered) - 1):
        before = lowered[position - 1]
        if lowered[position] not in PLACING or before in STOP_WORDS or before in ANAPHORA or is_verb(before):
            continue
        for after in lowered[position + 1 : position + 1 + _PLACE_WORDS]:
            if after in _ENDS or after in PLACING:
                break
            out.append(after)
    return out
