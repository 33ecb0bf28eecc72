"""How well each tool serves one sub-goal: BM25 relevance, corrected by data types.

A tool that can take the data the sub-goal has (its own, or what an earlier step makes) and makes
the kind of data it asks for ("into speech" -> audio) ranks above one that matches words only.
Whether the best tool is good enough at all is a separate question, answered by ``serves``: enough
of the sub-goal's information must be in the tool's description (coverage), or a little of it and
the tool makes the kind of data asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from orchestra.selection.index import ToolIndex

# Boosts for data-type fit, as multipliers of the BM25 score.
TAKES_BOOST = 0.35  # the tool takes a kind of data the sub-goal has
MAKES_BOOST = 0.6  # the tool makes the kind of data the sub-goal asks for
CANNOT_TAKE = 0.5  # the tool needs input and none of the data it takes is available
MAKES_OTHER = 0.5  # the sub-goal asks for a kind of data the tool does not make
# A sub-goal is served when the best tool has this share of its information ...
MIN_COVERAGE = 0.3
# ... or fits the data both ways with at least this share.
MIN_TYPED_COVERAGE = 0.05
# Candidates within this share of the best relevance compete on cost, speed and reliability.
NEAR_BEST = 0.85


@dataclass(frozen=True)
class Ranked:
    tool: str
    relevance: float
    coverage: float
    score: float
    takes: bool
    makes: bool
    matched: tuple[str, ...]


def rank(
    index: ToolIndex,
    query: Sequence[str],
    available: Sequence[str] = (),
    wants: Sequence[str] = (),
    limit: int = 10,
) -> list[Ranked]:
    """Tools for a sub-goal with terms ``query``, data of types ``available``, wanting ``wants``."""
    have, want = set(available), set(wants)
    out = []
    for hit in index.search(query, limit=max(limit * 5, 50)):
        card = index.card(hit.tool)
        assert card is not None
        takes = bool(set(card.input_types) & have) if card.input_types else True
        makes = bool(set(card.output_types) & want)
        factor = 1.0 + (TAKES_BOOST if takes and card.input_types else 0.0) + (MAKES_BOOST if makes else 0.0)
        if card.input_types and not takes and have:
            factor *= CANNOT_TAKE
        if want and not makes:
            factor *= MAKES_OTHER
        out.append(Ranked(hit.tool, hit.score * factor, hit.coverage, hit.score, takes, makes, hit.matched))
    out.sort(key=lambda r: (-r.relevance, r.tool))
    return out[:limit]


def serves(best: Ranked, head: Sequence[str] = (), weak: frozenset[str] = frozenset()) -> bool:
    """Whether the best-ranked tool is good enough to serve the sub-goal, rather than a forced match.

    Enough of the sub-goal's information is in the tool's description; or the tool makes the kind
    of data asked for and matches something else; or it matches the sub-goal's head (``head``: its
    first specific terms, the verb and its object, which say what is asked better than the rest); or
    any term that is not ``weak`` (data-type names and verbs that only say "do" or "make").
    """
    if best.coverage >= MIN_COVERAGE or (best.coverage >= MIN_TYPED_COVERAGE and best.makes):
        return True
    return bool(set(best.matched) & set(head)) or bool(weak and set(best.matched) - weak)


def near_best(ranked: Sequence[Ranked], share: float = NEAR_BEST) -> list[Ranked]:
    """The ranked tools within ``share`` of the best one's relevance."""
    if not ranked:
        return []
    floor = ranked[0].relevance * share
    return [r for r in ranked if r.relevance >= floor]
