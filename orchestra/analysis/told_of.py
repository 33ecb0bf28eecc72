"""Files the request only tells of are no content for the user's write: "Have Bob delete old.txt. Write done to
log.txt", "The script run.sh failed yesterday. Write a note to log.txt", "Ask Bob to download x.csv. Save the
report to r.txt". old.txt, run.sh and x.csv are named in another's act or in what the user tells, not given to the
write; handed to it as the first file no step took, the plan read old.txt and wrote its text over log.txt (issue
11). A write whose words point back ("Write it to log.txt", "Save a copy of the file to b.txt", "Save the picture
to b.jpg") still takes them, as a step of any other work does ("I have example.jpg. Caption it.")."""

from __future__ import annotations

import re
from collections.abc import Iterable

from orchestra.analysis.clauses import Clause
from orchestra.analysis.data import Extracted
from orchestra.lazy_regex import lazy_compile
from orchestra.planning.reported import act_of_another, ordered_of_another

# Words naming something said before: a pronoun, a copy or the content of what was named ("a copy", "its
# contents"), or a noun after "the" that a file's kind is said by (the noun the telling clause said it by is
# matched apart: "The script run.sh failed. Save the script to b.sh")
_POINTS_BACK = lazy_compile(
    r"\b(?:it|its|them|their|this|that|these|those|same|copy|copies|backup|contents?"
    r"|the\s+(?:files?|documents?|images?|pictures?|photos?|audio|recordings?|videos?|texts?|data|scripts?))\b",
    re.IGNORECASE,
)
_THE_NOUN = lazy_compile(r"\b(?:the|a|an|my|our|your|his|her|their)\s+(\w+)\s+@\w+", re.IGNORECASE)


def told_of_only(found: Iterable[Clause], extracted: Extracted, task: str) -> tuple[set[int], set[str]]:
    """The ids of the items named only in clauses that tell of them (context, or another's act) and no clause the
    user orders, with the nouns those clauses say them by ("The script @p0 failed": "script")."""
    told: set[int] = set()
    ordered: set[int] = set()
    nouns: set[str] = set()
    for clause in found:
        named = {id(d) for d in extracted.items_in(clause.text)}
        if (clause.context and not clause.asked) or _another_acts(clause.text, task):
            told |= named
            nouns |= {m.group(1).lower() for m in _THE_NOUN.finditer(clause.text)}
        else:
            ordered |= named
    return told - ordered, nouns


def points_back(text: str, nouns: set[str]) -> bool:
    """Whether a clause's words name something said before it (``nouns``: what telling clauses said files by)."""
    said = {m.lower() for m in re.findall(r"\bthe\s+(\w+)", text, re.IGNORECASE)}
    return _POINTS_BACK.search(text) is not None or bool(said & nouns)


def _another_acts(clause: str, task: str) -> bool:
    return act_of_another(clause) is not None or ordered_of_another(clause, task)
