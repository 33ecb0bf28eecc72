"""A step whose text input is the clause's own words: the question it asks of a picture or a document,
the description of what it makes ("a picture of a red fox in the snow"). Such a text is the clause's,
not a result an earlier step made nor a plan input the user must give again."""

from __future__ import annotations

import re

from orchestra.analysis.data import types_of
from orchestra.analysis.goals import DETERMINERS, Goal
from orchestra.analysis.words import ANAPHORA, DESCRIBED, STOP_WORDS, TYPE_WORDS, terms, words
from orchestra.tool_spec import ToolCard


def asks_itself(goal: Goal, takes: list[str]) -> bool:
    """A question whose tool takes its text beside other data (a picture, a document) and that gives
    no text of its own nor refers back ("answer it", "that question"): the question is its text."""
    return (
        goal.question
        and takes.count("text") == 1
        and len(set(takes)) > 1
        and not goal.refers_back
        and not any("text" in types_of(d) for d in goal.works_on)
    )


def description(goal: Goal, chosen: ToolCard, action: str, before: set[str]) -> str | None:
    """What a tool that makes a picture, a sound or a film from a text is to make, as the clause
    describes it after the kind it names: "generate a picture of a red fox in the snow" gives "a red
    fox in the snow". Not a description that names something known ("a picture of it", "of the
    summary", "of the text": a determiner first, a reference, a kind of data, or a word of an earlier
    step's tool: ``before`` holds their terms), nor for a clause that refers back or gives a text of its own."""
    if set(chosen.input_types) != {"text"} or goal.refers_back or any("text" in types_of(d) for d in goal.works_on):
        return None
    made = [w for w, kind in TYPE_WORDS.items() if kind in chosen.output_types and kind != "text"]
    if not made:
        return None
    found = re.search(rf"\b(?:{'|'.join(map(re.escape, made))})\b{DESCRIBED}", action, re.IGNORECASE | re.DOTALL)
    if found is None:
        return None
    described = found.group(1).strip(" .,;:!?")
    said = words(described)
    if not said or said[0] in DETERMINERS or set(said) & ANAPHORA:
        return None
    content = [w for w in said if w not in STOP_WORDS and w not in TYPE_WORDS]
    if not content or set(terms(" ".join(content))) & before:
        return None
    return described
