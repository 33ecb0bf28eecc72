"""A question folded into the step before it, which serves it: "Look at the document x.jpg and tell me who wrote it",
"Read the document x.jpg and answer who wrote it". The step before's tool answers questions, and the question is the
folded clause's words; before, they were dropped with the clause and the tool's question was asked for, as if the
user had said none."""

from __future__ import annotations

from orchestra.analysis.data import PLACEHOLDER, Extracted
from orchestra.analysis.goals import Goal
from orchestra.analysis.models import DataItem, TaskStep
from orchestra.analysis.words import DETERMINERS, words
from orchestra.selection.index import ToolIndex

# Verbs of looking at a thing, and the words around them that say no more ("take a quick look at", "have a look
# through"): before a question about what they name, the looking is how the question is asked, no work of its own
_LOOKING = frozenset("open check view look see examine inspect observe study review".split())
_AROUND_LOOKING = _LOOKING | DETERMINERS | frozenset("a an at into over through take have quick closer please".split())


def asked_of_the_step_before(goal: Goal, step: TaskStep, extracted: Extracted, index: ToolIndex) -> None:
    """Give ``step`` (the step before, which ``goal``'s clause restates) that clause's question as its text, where
    its tool takes a text and nothing gives it one: no result, no quote, no question of its own."""
    card = index.card(step.candidates[0]) if step.candidates else None
    if not goal.question or card is None or "text" not in card.input_types:
        return
    if "text" in step.accepts or any(d.kind in ("query", "text") for d in step.data):
        return
    step.data.append(DataItem(kind="query", value=extracted.show(goal.clause.text).strip()))
    step.accepts.append("text")


def only_looked_at(goal: Goal, after: Goal | None) -> bool:
    """Whether ``goal``'s clause only looks at the data it names ("Open x.jpg", "take a look at x.jpg") and the
    clause after it asks about that ("... and tell me what is in it", "View x.jpg. Who is in it?"): the question is
    the work. Before, "open" was a step no tool serves, said missing beside the question served."""
    if after is None or not after.question or after.works_on or not goal.works_on:
        return False
    said = [w for w in words(PLACEHOLDER.sub(" ", goal.clause.text)) if w != "please"]
    # "look at the photo x.jpg" names a kind, which chose its tool: that step takes the question (`asked_of_the_step_before`)
    return bool(said) and said[0] in _LOOKING | {"take", "have"} and set(said) <= _AROUND_LOOKING
