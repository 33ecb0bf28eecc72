"""A search index over a registry's tools: BM25 over what each tool says about itself.

Each tool is one document made of its name, capabilities, description, parameter names and
descriptions, and data types, in fields weighted by how much they say about what the tool does (a
name says more than a parameter's description). Ranking is Okapi BM25 (k1 = 1.2, b = 0.75) over
Snowball stems, with the field weights as term-frequency multipliers (BM25F's simple form).

Besides the BM25 score, a hit carries its *coverage*: the share of the query's information (the sum
of its terms' IDF) that the tool's document has. Coverage is comparable across queries and
registries, so it is what decides whether a sub-goal is served at all or reported as "creation
required". A query term no tool mentions counts at full IDF, so "teleport the cat" covers nothing.

Built in pure Python with an inverted index, and a 10,000-tool registry is indexed once (cached
by the registry's content hash, in the process and on disk) and searched in milliseconds. The
tools' sentence vectors (``semantic.py``) are made, or read from disk, only when a search asks for
meaning, and only for the tools it compares: numpy is imported then and not before.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from orchestra.analysis.words import TYPE_WORDS, terms, words
from orchestra.selection import semantic
from orchestra.tool_spec import ToolCard

K1 = 1.2
B = 0.75
# Field weights: how much a term found there says about what the tool does.
NAME_WEIGHT = 3.0
CAPABILITY_WEIGHT = 2.0
DESCRIPTION_WEIGHT = 1.0
TYPE_WEIGHT = 1.0
PARAMETER_WEIGHT = 0.5
# A query term that is a word of the tool's name adds this share of its IDF on top of BM25: a name is
# the shortest statement of what a tool does, and BM25's saturation would otherwise flatten it.
NAME_BONUS = 1.0


@dataclass(frozen=True)
class Hit:
    tool: str
    score: float
    coverage: float
    matched: tuple[str, ...]


@dataclass
class _Doc:
    card: ToolCard
    length: float
    name_terms: frozenset[str] = frozenset()


@dataclass
class ToolIndex:
    docs: list[_Doc] = field(default_factory=list)
    # term -> the numbers of the tools that have it, then its weight in each (array bytes: a search
    # decodes only its own terms', so an index read from disk is usable at once)
    postings: dict[str, bytes] = field(default_factory=dict)
    average_length: float = 1.0
    by_name: dict[str, int] = field(default_factory=dict)
    types: frozenset[str] = frozenset()
    type_terms: frozenset[str] = frozenset()  # the terms of data-type names: a match on them alone says little
    general: frozenset[str] = frozenset()  # general-purpose tools that give way to a catalogue's own
    key: str = ""  # the registry's content hash
    _name_terms: frozenset[str] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def build(cls, cards: Iterable[ToolCard], general: Iterable[str] = ()) -> ToolIndex:
        """``general``: tools that serve any registry (the built-ins), preferred less than tools
        described for this one where both fit."""
        index = cls(general=frozenset(general))
        postings: dict[str, list[tuple[int, float]]] = {}
        types: set[str] = set()
        memo: dict[str, list[str]] = {}  # a registry repeats its parameter and type texts thousands of times
        for card in cards:
            tf = document_terms(card, memo)
            number = len(index.docs)
            index.docs.append(_Doc(card, sum(tf.values()), frozenset(terms(card.name))))
            index.by_name[card.name] = number
            for term, weight in tf.items():
                postings.setdefault(term, []).append((number, weight))
            types.update(card.input_types)
            types.update(card.output_types)
        index.postings = {term: _pack(entries) for term, entries in postings.items()}
        index.types = frozenset(types)
        index.type_terms = frozenset(t for kind in {*types, *TYPE_WORDS.values()} for t in terms(kind))
        for doc in index.docs:  # "audio" in "Audio Classification" says what it takes, not what it does
            doc.name_terms = doc.name_terms - index.type_terms
        if index.docs:
            index.average_length = sum(d.length for d in index.docs) / len(index.docs) or 1.0
        return index

    def to_data(self) -> tuple[Any, ...]:
        """The index as plain data (``disk_cache``); the cards are the registry's and not repeated."""
        return (
            [d.card.name for d in self.docs],
            [d.length for d in self.docs],
            [tuple(d.name_terms) for d in self.docs],
            self.postings,
            self.average_length,
            tuple(self.types),
            tuple(self.type_terms),
            tuple(self.general),
        )

    @classmethod
    def from_data(cls, data: Any, cards: dict[str, ToolCard]) -> ToolIndex | None:
        """An index stored by ``to_data`` over ``cards``; None when it does not fit them."""
        try:
            names, lengths, name_terms, postings, average, types, type_terms, general = data
            if len(names) != len(cards) or set(names) != set(cards):
                return None
            index = cls(
                docs=[_Doc(cards[n], lt, frozenset(nt)) for n, lt, nt in zip(names, lengths, name_terms, strict=True)],
                postings=postings,
                average_length=average,
                by_name={n: i for i, n in enumerate(names)},
                types=frozenset(types),
                type_terms=frozenset(type_terms),
                general=frozenset(general),
            )
        except (TypeError, ValueError):
            return None
        return index

    def __len__(self) -> int:
        return len(self.docs)

    def idf(self, term: str) -> float:
        df = len(self.postings.get(term, b"")) // _ENTRY
        n = len(self.docs)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def card(self, name: str) -> ToolCard | None:
        number = self.by_name.get(name)
        return self.docs[number].card if number is not None else None

    def search(
        self, query: Sequence[str], limit: int = 20, only: set[int] | None = None, unnamed: frozenset[str] = frozenset()
    ) -> list[Hit]:
        """Tools ranked by BM25 for ``query`` (terms as made by ``words.terms``), best first; ``only``:
        the numbers of the tools to rank, when not all; ``unnamed``: terms that earn no name bonus
        (what the work is done on: "conversation" in "a summary of the conversation")."""
        counts = Counter(query)
        if not counts or not self.docs:
            return []
        scores: dict[int, float] = {}
        matched: dict[int, list[str]] = {}
        for term, repeats in counts.items():
            idf = self.idf(term)
            for number, tf in _unpack(self.postings.get(term, b"")):
                doc = self.docs[number]
                norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * doc.length / self.average_length))
                bonus = NAME_BONUS * idf if term in doc.name_terms and term not in unnamed else 0.0
                scores[number] = scores.get(number, 0.0) + (idf * norm + bonus) * repeats
                matched.setdefault(number, []).append(term)
        total = sum(self.idf(t) * r for t, r in counts.items()) or 1.0
        if only is not None:
            scores = {n: v for n, v in scores.items() if n in only}
        ranked = heapq.nsmallest(limit, scores, key=lambda n: (-scores[n], self.docs[n].card.name))
        return [
            Hit(
                tool=self.docs[n].card.name,
                score=scores[n],
                coverage=sum(self.idf(t) * counts[t] for t in matched[n]) / total,
                matched=tuple(matched[n]),
            )
            for n in ranked
        ]

    def name_term_set(self) -> frozenset[str]:
        """The terms of any tool's name (not data-type words), computed once."""
        if self._name_terms is None:
            self._name_terms = frozenset(t for d in self.docs for t in d.name_terms)
        return self._name_terms

    def name_terms_of(self, tool: str) -> frozenset[str]:
        """The terms of a tool's name (not its data-type words)."""
        number = self.by_name.get(tool)
        return self.docs[number].name_terms if number is not None else frozenset()

    def known(self, term: str) -> bool:
        return term in self.postings

    def embeds_all(self) -> bool:
        """Whether every tool's meaning is compared (a catalogue small enough to embed whole, big enough
        to need it): then meaning ranks every sub-goal beside the words, not only those they serve poorly."""
        return semantic.MIN_TOOLS <= len(self.docs) <= semantic.EMBED_ALL

    def similarities(
        self, texts: Sequence[str], among: Iterable[int] = (), *, small: bool = False
    ) -> tuple[list[int], semantic.Matrix] | None:
        """Cosine similarity of each of ``texts`` with tools' cards: the numbers of the tools compared and
        a (texts x tools) matrix; None without an encoder. Every tool of a registry up to
        ``semantic.EMBED_ALL`` tools is compared, else only ``among`` (a shortlist by words and types).
        A registry too small to need meaning is compared only when asked (``small``: words found nothing)."""
        if (len(self.docs) < semantic.MIN_TOOLS and not small) or not any(t.strip() for t in texts):
            return None  # a handful of tools are told apart by their words; numpy is not even imported
        model = semantic.embedder()
        if model is None:
            return None
        numbers = list(range(len(self.docs))) if len(self.docs) <= semantic.EMBED_ALL else sorted(set(among))
        if not numbers:
            return None
        tools = semantic.STORE.vectors(model, [card_text(self.docs[n].card) for n in numbers])
        queries = semantic.embed_spans(model, list(texts))
        return numbers, queries @ tools.T


_ENTRY = 8  # bytes per posting: a 4-byte tool number and a 4-byte weight


def _pack(entries: list[tuple[int, float]]) -> bytes:
    return array("I", (n for n, _ in entries)).tobytes() + array("f", (w for _, w in entries)).tobytes()


def _unpack(data: bytes) -> Iterable[tuple[int, float]]:
    half = len(data) // 2
    numbers, weights = array("I"), array("f")
    numbers.frombytes(data[:half])
    weights.frombytes(data[half:])
    return zip(numbers, weights, strict=True)


def card_text(card: ToolCard) -> str:
    """What a tool's vector is made of: its name in words, capabilities, then its description."""
    return ". ".join(p for p in (" ".join(words(card.name)), ", ".join(card.capabilities), card.description) if p)


def document_terms(card: ToolCard, memo: dict[str, list[str]] | None = None) -> dict[str, float]:
    """A tool's terms with their field weights; ``memo``: the terms of texts seen before, by text."""
    tf: dict[str, float] = {}
    known = {} if memo is None else memo

    def add(text: str, weight: float) -> None:
        found = known.get(text)
        if found is None:
            found = known[text] = terms(text)
        for term in found:
            tf[term] = tf.get(term, 0.0) + weight

    add(card.name, NAME_WEIGHT)
    for capability in card.capabilities:
        add(capability, CAPABILITY_WEIGHT)
    add(card.description, DESCRIPTION_WEIGHT)
    for kind in (*card.input_types, *card.output_types):
        add(kind, TYPE_WEIGHT)
    for param in (*card.inputs, *card.outputs):
        add(f"{param.name} {param.description}", PARAMETER_WEIGHT)
    return tf
