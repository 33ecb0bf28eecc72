"""How well each tool serves one sub-goal: BM25 relevance, corrected by data types.

A tool that can take the data the sub-goal has (its own, or what an earlier step makes) and makes
the kind of data it asks for ("into speech" -> audio) ranks above one that matches words only.
Whether the best tool is good enough at all is a separate question, answered by ``serves``: enough
of the sub-goal's information must be in the tool's description (coverage), or a little of it and
the tool makes the kind of data asked for.
"""

from __future__ import annotations

import heapq
import math
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


# A general-purpose tool (a built-in) next to a catalogue the user loaded: the catalogue's own tools
# come first where they fit about as well.
GENERAL_PRIOR = 0.7
# Meaning (``semantic.py``): the weight of the embedding's share next to BM25's, and when it alone may
# say a sub-goal is served: the best tool's cosine at least MEANING_ALONE_MIN and SEMANTIC_MARGIN above
# the median. Where data types agree as well (``goals._served_by_types``), SEMANTIC_MIN is enough. In a
# small catalogue the median is low, so the margin passes for anything: "send an email" stood at 0.22
# to a picture generator, the nearest of ten tools none of which sends anything.
SEMANTIC_WEIGHT = 0.7
SEMANTIC_MIN = 0.20
MEANING_ALONE_MIN = 0.25
SEMANTIC_MARGIN = 0.15
SEMANTIC_POOL = 30  # tools taken by meaning alone, besides those BM25 finds
# In a registry too big to embed whole (``semantic.EMBED_ALL``), meaning re-ranks only BM25's best few:
# each tool embedded for the first time costs milliseconds.
SHORTLIST = 12


@dataclass(frozen=True)
class Ranked:
    tool: str
    relevance: float
    coverage: float
    score: float
    takes: bool
    makes: bool
    matched: tuple[str, ...]
    similarity: float = 0.0  # cosine with the sub-goal's text
    margin: float = 0.0  # how far that cosine stands above the median tool's


def rank(
    index: ToolIndex,
    query: Sequence[str],
    available: Sequence[str] = (),
    wants: Sequence[str] = (),
    limit: int = 10,
    text: str = "",
    unnamed: frozenset[str] = frozenset(),
) -> list[Ranked]:
    """Tools for a sub-goal with terms ``query`` (and words ``text``, for meaning), data of types
    ``available``, wanting ``wants``.

    Relevance is BM25's score relative to the best hit (weighed, when meaning is compared, by how much
    of the sub-goal the best hit's words hold), plus the embedding's cosine relative to the best and
    the median tool (both in [0, 1]), times the data-type factors.
    """
    have, want = set(available), set(wants)
    hits = {h.tool: h for h in index.search(query, limit=max(limit * 5, 50), unnamed=unnamed)}
    shortlist = heapq.nsmallest(SHORTLIST, hits, key=lambda t: (-hits[t].score, t))  # big registries: embed few
    compared = index.similarities([text], (index.by_name[t] for t in shortlist)) if text else None
    semantic: dict[str, tuple[float, float, float]] = {}  # tool -> cosine, above the median, share of the best
    if compared:
        numbers, matrix = compared
        sims = matrix[0].tolist()
        ordered = sorted(sims)
        median, top = ordered[len(ordered) // 2], ordered[-1]
        spread = max(top - median, 1e-6)
        best = sorted(range(len(sims)), key=lambda n: -sims[n])[:SEMANTIC_POOL]
        position = {number: n for n, number in enumerate(numbers)}
        names = {n: index.docs[numbers[n]].card.name for n in best}
        names.update({position[index.by_name[t]]: t for t in hits if index.by_name[t] in position})
        semantic = {t: (sims[n], sims[n] - median, max(0.0, (sims[n] - median) / spread)) for n, t in names.items()}
    top_score = max((h.score for h in hits.values()), default=0.0) or 1.0
    # BM25's share is relative to its best hit, which is 1 even when that hit holds a sliver of the
    # sub-goal's information ("image" of "distill the essence of the image"): next to meaning, the words'
    # vote counts as much as they explain (softened: the square root of the best hit's coverage).
    top_coverage = max((h.coverage for h in hits.values() if h.score >= top_score), default=0.0)
    words_weight = math.sqrt(top_coverage) if semantic else 1.0
    out = []
    for tool in {*hits, *semantic}:
        card = index.card(tool)
        assert card is not None
        hit = hits.get(tool)
        cosine, margin, share = semantic.get(tool, (0.0, 0.0, 0.0))
        base = (words_weight * hit.score / top_score if hit else 0.0) + SEMANTIC_WEIGHT * share
        takes = bool(set(card.input_types) & have) if card.input_types else True
        makes = bool(set(card.output_types) & want)
        factor = 1.0 + (TAKES_BOOST if takes and card.input_types else 0.0) + (MAKES_BOOST if makes else 0.0)
        if card.input_types and not takes and have:
            factor *= CANNOT_TAKE
        if want and not makes:
            factor *= MAKES_OTHER
        if tool in index.general:
            factor *= GENERAL_PRIOR
        out.append(
            Ranked(
                tool,
                base * factor,
                hit.coverage if hit else 0.0,
                hit.score if hit else 0.0,
                takes,
                makes,
                hit.matched if hit else (),
                cosine,
                margin,
            )
        )
    out.sort(key=lambda r: (-r.relevance, r.tool))
    return out[:limit]


def serves(
    best: Ranked, head: Sequence[str] = (), weak: frozenset[str] = frozenset(), *, by_words: bool = True
) -> bool:
    """Whether the best-ranked tool is good enough to serve the sub-goal, rather than a forced match.

    Its sentence vector is close enough; or, when words may decide (``by_words``: false when the tool
    does not say it does what the sub-goal's verb asks), enough of the sub-goal's information is in
    the tool's description; or the tool makes the kind of data asked for and matches something
    else; or it matches the sub-goal's head (``head``: its first specific terms, the verb and its
    object, which say what is asked better than the rest); or any term that is not ``weak``
    (data-type names and verbs that only say "do" or "make").
    """
    if best.similarity >= MEANING_ALONE_MIN and best.margin >= SEMANTIC_MARGIN:
        return True
    if not by_words:
        return False
    if best.coverage >= MIN_COVERAGE or (best.coverage >= MIN_TYPED_COVERAGE and best.makes):
        return True
    return bool(set(best.matched) & set(head)) or bool(weak and set(best.matched) - weak)


def near_best(ranked: Sequence[Ranked], share: float = NEAR_BEST) -> list[Ranked]:
    """The ranked tools within ``share`` of the best one's relevance."""
    if not ranked:
        return []
    floor = ranked[0].relevance * share
    return [r for r in ranked if r.relevance >= floor]
