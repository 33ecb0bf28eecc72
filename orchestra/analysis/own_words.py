"""A step whose text input is the clause's own words: the question it asks of a picture or a document,
the description of what it makes ("a picture of a red fox in the snow"). Such a text is the clause's,
not a result an earlier step made nor a plan input the user must give again."""

from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING

from orchestra.analysis.data import types_of
from orchestra.analysis.words import (
    ANAPHORA,
    DESCRIBED,
    DETERMINERS,
    SOUND_WORDS,
    STOP_WORDS,
    TYPE_WORDS,
    terms,
    words,
    work_noun,
)
from orchestra.tool_spec import ToolCard

if TYPE_CHECKING:  # goals asks this module what a clause describes
    from orchestra.analysis.goals import Goal

# "a sound of rain", "some music about the sea": a sound named by what it is to be, not by words to say.
# "a sound of rain", and with a word for any medium after it: "an audio clip of a dog barking"
SOUND_DESCRIBED = re.compile(
    rf"\b(?:{'|'.join(sorted(SOUND_WORDS))})(?:\s+(?:clips?|recordings?))?\b{DESCRIBED}", re.IGNORECASE
)


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
    return described if named_anew(described, before) else None


def named_anew(described: str, known: AbstractSet[str]) -> bool:
    """Whether the words that say what a picture or a sound is to show name something to make ("a red fox",
    "the sea"), not something there already: a reference ("it", "the output"), a kind of data or a noun of
    work after a determiner ("the text", "my photo", "the summary": what an earlier step made, whatever its
    tool is called), or a word of an earlier step's tool (``known`` holds their terms). A determiner alone
    says nothing of which: "a picture of the sea", "of the meeting of two cats" were asked of the user."""
    said = words(described)
    if not said or set(said) & ANAPHORA:
        return False
    if said[0] in DETERMINERS:
        noun = next((w for w in said[1:] if w not in STOP_WORDS), None)
        if noun is None or noun in TYPE_WORDS or work_noun(noun):
            return False
    content = [w for w in said if w not in STOP_WORDS and w not in TYPE_WORDS]
    return bool(content) and not set(terms(" ".join(content))) & known


def sound_anew(text: str, wants: Sequence[str], known: AbstractSet[str] = frozenset()) -> bool:
    """Whether a clause (``text``, asking for ``wants``) asks for a sound described by what it is to be,
    with or without a determiner ("a song about the sea", "a sound of rain"): no text to read aloud, so a
    tool that only speaks does not make it (``makes_sounds``). Not "a recording of the summary" when a
    summary was made before (``known``), nor a quoted text."""
    if "audio" not in wants:
        return False
    found = SOUND_DESCRIBED.search(text)
    return found is not None and not found.group(1).lstrip().startswith("@") and named_anew(found.group(1), known)
