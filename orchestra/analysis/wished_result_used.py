"""Whether a later clause takes what a wish asked for: then the wish is a step, not the purpose of the work after it.

"I'd love to have a simple summary about them. Then translate this summary into French." about a picture: the
summariser takes text, which only the translation after it makes, so the wish read as what the translation is for
("I'd like to hear how it sounds. Convert this text into speech") and the summary was dropped. The later clause
names the summary as the thing it works on: the summary is asked, and the translation works on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from orchestra.analysis.goals import Goal
from orchestra.analysis.words import DETERMINERS, TYPE_WORDS, words
from orchestra.tool_spec import ToolCard


def result_named_later(goal: Goal, card: ToolCard, later: Sequence[Goal]) -> bool:
    """Whether a clause after ``goal`` with no data of its own names its result by a word of ``goal``'s own after a
    determiner ("this summary", "the caption"). A word for a kind of data counts only as a kind ``card`` makes and
    does not take: "the text" after a wish to hear a text is the text, not the speech. A clause with data of its own
    names what it works on ("segment the objects in @p0" after a wish to identify the objects)."""
    own = set(goal.keywords)
    made = set(card.output_types) - set(card.input_types)
    for other in later:
        if other.works_on:
            continue
        said = words(other.clause.text)
        for before, noun in pairwise(said):
            if before in DETERMINERS and noun in own and (noun not in TYPE_WORDS or TYPE_WORDS[noun] in made):
                return True
    return False
