"""Joint decoding: the set and order of tools for a whole request, found by a search over spans.

Clause-first planning gives each clause one tool. Here every clause the user asks for is read at
several widths (the clause, and windows of a few words inside it), each span is matched against the
registry (``Candidate``: a tool, the span, the words of the span the tool explains, how well it
matches), and a beam search picks the sequence of candidates that scores best as a whole:

- (a) each tool's match with its span: the share of the span's specific words (not data-type names,
  not "do/make" verbs) that the tool's own words explain, or its sentence vector's closeness;
- (b) coverage without overlap: a word of the request is explained by one tool at most, so two
  tools are chosen for one clause only when they explain different words of it;
- (c) type validity: a tool whose inputs neither the request's data nor an earlier tool's outputs
  can feed scores a fraction (``choice.fit``); a tool that takes what the one before makes, when its
  span refers back or has no data of its own, scores a little more;
- (d) order: candidates are taken in the order of their spans (clauses were already put in the
  order their ordering words say);
- (e) a cost per step, so a tool must explain enough to earn its place.

Steps the request implies but names nowhere are added afterwards, by data type (``converters.py``).
A clause the user asks for that no candidate serves stays a step with no tool: "creation required".
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

from orchestra.analysis.choice import BEAM_OPTIONS, BEAM_RELEVANCE, CHAINED, fit, types_enabled
from orchestra.analysis.data import PLACEHOLDER, Extracted, types_of
from orchestra.analysis.goals import Goal, goal_of, weak_terms
from orchestra.analysis.models import DataItem
from orchestra.analysis.words import terms
from orchestra.selection.index import ToolIndex
from orchestra.selection.relevance import Ranked, near_best, rank
from orchestra.tool_spec import ToolCard

WINDOWS = (3, 5)  # span widths in words, besides the whole clause
# A window adds a tool only through words of the tool's name ("estimate the depth" -> Depth Estimation)
# or a close sentence vector: a description's incidental words are too weak a reason for an extra step.
STRIDE = 2
PER_SPAN = 3  # candidates kept per span
MIN_MATCH = 0.34  # a candidate explains at least this share of its span's specific words ...
MIN_SIMILARITY = 0.55  # ... or its card's vector is this close to the span's
SIMILARITY_WEIGHT = 1.0
STEP_COST = 0.6
BEAM = 24
MAX_STEPS = 10


@dataclass(frozen=True)
class Candidate:
    tool: str
    goal: int  # which sub-goal (clause) its span lies in
    start: int  # the span's first word in the clause
    explains: frozenset[tuple[int, int]]  # (sub-goal, word) pairs the tool explains
    match: float
    ranked: tuple[Ranked, ...] = ()  # the span's ranking: the runners-up become alternatives
    clause: bool = False  # matched with the whole clause: the clause's own step, which needs no extra cost


@dataclass
class _State:
    score: float = 0.0
    chosen: list[Candidate] = field(default_factory=list)
    used: frozenset[tuple[int, int]] = frozenset()
    made: tuple[str, ...] = ()


def joint_enabled() -> bool:
    return os.environ.get("ORCHESTRA_DECODER", "clauses").strip().lower() == "joint"


def decode(
    goals: list[Goal], extracted: Extracted, pool: list[DataItem], index: ToolIndex
) -> list[tuple[Goal, ToolCard | None]]:
    """The sub-goals to plan, each with its tool (None: nothing serves it), in order."""
    candidates = [c for n, goal in enumerate(goals) for c in _candidates(n, goal, extracted, index)]
    candidates.sort(key=lambda c: (c.goal, c.start, -c.match, c.tool))
    given = {t for d in pool for t in types_of(d)}
    states = [_State()]
    finished: list[_State] = [states[0]]
    for _ in range(MAX_STEPS):
        grown: list[_State] = []
        for state in states:
            last = state.chosen[-1] if state.chosen else None
            taken = {c.tool for c in state.chosen}
            for candidate in candidates:
                if last is not None and (candidate.goal, candidate.start) < (last.goal, last.start):
                    continue
                if (candidate.tool in taken and not candidate.clause) or candidate.explains & state.used:
                    continue  # a clause may be served again by a tool already chosen: it restates a step
                gain = _gain(candidate, goals[candidate.goal], last, state, given, index)
                if gain <= 0:
                    continue
                card = index.card(candidate.tool)
                assert card is not None
                grown.append(
                    _State(
                        state.score + gain,
                        [*state.chosen, candidate],
                        state.used | candidate.explains,
                        (*state.made, *card.output_types),
                    )
                )
        if not grown:
            break
        grown.sort(key=lambda s: (-s.score, [(c.goal, c.start, c.tool) for c in s.chosen]))
        states = _distinct(grown)[:BEAM]
        finished += states
    best = max(finished, key=lambda s: s.score)
    return _plan(best, goals, extracted, index)


def _distinct(states: list[_State]) -> list[_State]:
    """One state per set of tools and words explained: the same plan reached in another order is dropped."""
    seen: set[tuple[frozenset[str], frozenset[tuple[int, int]]]] = set()
    out = []
    for state in states:
        key = (frozenset(c.tool for c in state.chosen), state.used)
        if key not in seen:
            seen.add(key)
            out.append(state)
    return out


def _gain(
    candidate: Candidate, goal: Goal, last: Candidate | None, state: _State, given: set[str], index: ToolIndex
) -> float:
    card = index.card(candidate.tool)
    assert card is not None
    value = candidate.match
    if types_enabled():
        own = {t for d in goal.own for t in types_of(d)}
        previous = index.card(last.tool) if last is not None else None
        subject = goal.subject or (set(previous.output_types) if goal.refers_back and previous else set())
        value *= fit(set(card.input_types), subject or (own | given | set(state.made)))
        takes = set(card.input_types)
        if previous is not None and takes & set(previous.output_types) and (goal.refers_back or not takes & own):
            value += CHAINED * candidate.match
    first_in_clause = last is None or last.goal != candidate.goal
    return value - (0.0 if candidate.clause and first_in_clause else STEP_COST)


def _candidates(number: int, goal: Goal, extracted: Extracted, index: ToolIndex) -> list[Candidate]:
    """Tools for the spans of one sub-goal: the clause itself (as ranked with its context), and windows
    of a few words in it, which may each add a tool for words the clause's own tool does not explain."""
    words_ = goal.clause.text.split()
    weak = weak_terms(index)
    specific = {p: set(terms(PLACEHOLDER.sub(" ", w))) - weak for p, w in enumerate(words_)}
    specific = {p: t for p, t in specific.items() if t}
    out: list[Candidate] = []
    if goal.served:
        options = near_best(goal.ranked, BEAM_RELEVANCE)[:BEAM_OPTIONS]
        best = options[0].relevance or 1.0
        for r in options:
            explained = frozenset(p for p, ts in specific.items() if ts & set(r.matched)) or frozenset(specific)
            out.append(Candidate(r.tool, number, 0, frozenset((number, p) for p in explained), r.relevance / best,
                                 tuple(goal.ranked), clause=True))  # fmt: skip
    spans = [
        (s, s + width) for width in WINDOWS if len(words_) > width for s in range(0, len(words_) - width + 1, STRIDE)
    ]
    texts = [" ".join(words_[a:b]) for a, b in spans]
    similarities = _similarities(texts, index) if spans else {}
    for (a, b), text in zip(spans, texts, strict=True):
        span_goal = goal_of(replace(goal.clause, text=text), extracted, index)
        inside = {p: specific[p] for p in range(a, b) if p in specific}
        total = sum(index.idf(t) for ts in inside.values() for t in ts)
        if not total:
            continue
        ranked = rank(index, span_goal.query, (), span_goal.wants, limit=PER_SPAN * 3)
        sims = similarities.get(text, {})
        scored: list[tuple[float, Ranked, frozenset[int]]] = []
        for r in ranked:
            matched = set(r.matched)
            named = matched & index.docs[index.by_name[r.tool]].name_terms
            explained = frozenset(p for p, ts in inside.items() if ts & named)
            words_match = sum(index.idf(t) for p in explained for t in inside[p] if t in matched) / total
            cosine = sims.get(r.tool, 0.0)
            meaning = SIMILARITY_WEIGHT * cosine if cosine >= MIN_SIMILARITY else 0.0
            match = max(words_match if words_match >= MIN_MATCH else 0.0, meaning)
            if match <= 0:
                continue
            if meaning > words_match:
                explained = frozenset(inside)
            scored.append((match * (1.0 if (r.makes or not span_goal.wants) else 0.7), r, explained))
        for match, r, explained in sorted(scored, key=lambda x: (-x[0], x[1].tool))[:PER_SPAN]:
            out.append(Candidate(r.tool, number, a, frozenset((number, p) for p in explained), match, tuple(ranked)))
    return out


def _similarities(texts: list[str], index: ToolIndex) -> dict[str, dict[str, float]]:
    compared = index.similarities(texts, ())
    if compared is None:
        return {}
    numbers, matrix = compared
    return {
        text: {index.docs[n].card.name: float(row[i]) for i, n in enumerate(numbers)}
        for text, row in zip(texts, matrix, strict=True)
    }


def _plan(
    best: _State, goals: list[Goal], extracted: Extracted, index: ToolIndex
) -> list[tuple[Goal, ToolCard | None]]:
    out: list[tuple[Goal, ToolCard | None]] = []
    chosen_goals = {c.goal for c in best.chosen}
    by_goal: dict[int, list[Candidate]] = {}
    for candidate in best.chosen:
        by_goal.setdefault(candidate.goal, []).append(candidate)
    for number, goal in enumerate(goals):
        if number not in chosen_goals:
            if goal.clause.asked and not goal.clause.context and not goal.served:
                out.append((goal, None))
            continue
        for order, candidate in enumerate(by_goal[number]):
            card = index.card(candidate.tool)
            step_goal = goal
            if order > 0:
                # A second tool for one clause works on what the first made ("identify the objects and
                # estimate their distances"), unless its own words name data.
                step_goal = replace(goal, own=[], refers_back=True, subject=set(), ranked=list(candidate.ranked))
            elif candidate.ranked:
                step_goal = replace(goal, ranked=list(candidate.ranked))
            out.append((step_goal, card))
    return out
