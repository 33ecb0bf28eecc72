"""Whether a plural word points at things inside the user's data rather than at several results.

"Segment the objects in photo.jpg, estimate the depth of these objects": "these objects" are what the
photo shows, not the results made before the clause. Read as several results, the depth was estimated
of the segmented picture and again of a picture an earlier clause edited, and every step after it was
planned twice. A plural gathers results only where its noun could name them: a kind of data ("these
pictures"), a result word ("these results"), an earlier step's work ("these translations"), or where the
results come from different data ("download A and B, then summarize these articles": one page each).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from orchestra.analysis.models import TaskStep
from orchestra.analysis.so_far import Planned
from orchestra.analysis.words import PLURAL_ANAPHORA, TYPE_WORDS, terms, words

POINTING = frozenset({"these", "those"})
PRONOUNS = frozenset({"them", "they"})
# words a plural result is named by whatever the work ("these outputs", "those versions")
RESULT_NOUNS = frozenset({"answers", "findings", "ones", "outputs", "results", "versions"})
KIND_STEMS = frozenset(terms(" ".join(TYPE_WORDS)))


def _pointed_nouns(text: str) -> list[str]:
    said = words(text)
    return [noun for word, noun in pairwise(said) if word in POINTING]


def _names_a_result(noun: str, planned: Planned, kind: str) -> bool:
    return (
        noun in RESULT_NOUNS
        or noun in PLURAL_ANAPHORA
        or bool(set(terms(noun)) & KIND_STEMS)
        or bool(planned.named([noun], kind))
    )


def within_one_source(
    clause: str, before: list[TaskStep], gathered: Iterable[TaskStep], planned: Planned, kind: str
) -> bool:
    """Whether ``clause``'s plural points at things inside the one file every result of ``gathered`` was made
    from: "these objects", or "them" just after a clause that said "these objects"."""
    sources = {planned.sources.get(s.id, frozenset()) for s in gathered}
    if len(sources) != 1 or len(next(iter(sources))) != 1:
        return False
    nouns = _pointed_nouns(clause)
    if not nouns and PRONOUNS & set(words(clause)) and before:
        nouns = _pointed_nouns(before[-1].action)
    return bool(nouns) and not any(_names_a_result(noun, planned, kind) for noun in nouns)
