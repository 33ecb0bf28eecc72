"""A request the offline planner cannot read: "Lies a.txt, dann lösche es" was a step 'lies' no tool serves, as if
a tool for "lies" could be made or found (issue 8). Its rules and lexicon are English: where no step is served and no
word of the request is one it knows as English (of grammar: "the", "it", "then"; a verb of work, a kind of data, an
adverb), the plan says so, and what to do."""

from __future__ import annotations

import re

from orchestra.analysis.data import PLACEHOLDER
from orchestra.analysis.models import TaskStep
from orchestra.analysis.words import STOP_WORDS, TYPE_WORDS, base_verb, is_verb

_LETTERS = re.compile(r"[^\W\d_]+")
# Fewer words say too little to judge the language by ("Frobnicate notes.txt" is an unknown verb, not a language).
_FEWEST = 2


def not_english(text: str, steps: list[TaskStep]) -> list[str]:
    """A note when ``text`` (the request, its data as placeholders) reads as no English and no step of ``steps`` is
    served: the offline planner understood nothing of it."""
    if any(step.candidates for step in steps):
        return []
    said = _LETTERS.findall(PLACEHOLDER.sub(" ", text))
    if len(said) < _FEWEST or any(_english(w.lower()) for w in said):
        return []
    shown = ", ".join(repr(w) for w in list(dict.fromkeys(said))[:6])
    return [
        f"the request does not read as English (none of {shown} is an English word the planner knows): the offline "
        "planner reads English requests only; say it in English, or plan with a model (the llm backend)"
    ]


def _english(word: str) -> bool:
    """Whether a word is one the planner knows as English: of grammar, a verb of work, a kind of data, an adverb."""
    return word in STOP_WORDS or is_verb(base_verb(word)) or word in TYPE_WORDS or word.endswith("ly")
