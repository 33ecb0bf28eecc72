"""Work offered as a choice: "Summarize or delete notes.txt", "Summarize and/or delete notes.txt", and a change
offered on one of several things: "Delete a.txt or b.txt", "Copy notes.txt to a.txt or b.txt".

One clause with one tool, one of the two verbs was done and the other dropped unsaid (the delete, here); given
things offered as a choice, the change was made to each ("Delete a.txt, b.txt or c.txt" deleted all three). Which
one the user wants is theirs to say; the plan says what it did and how to ask for both. The clause is read with
its data taken out (`Goal.clause`): an "or" inside a quote or a file name ("Write 'read or delete' to a.txt",
"or.txt") is what the user gave, no choice.
"""

from __future__ import annotations

import re

from orchestra.analysis.goals import Goal
from orchestra.analysis.models import TaskStep
from orchestra.analysis.words import base_verb, is_verb
from orchestra.lazy_regex import lazy_compile

# "or" (or "and/or") right before a verb of work: another work offered in place of the one before it
_OR_A_VERB = lazy_compile(r"\b(?:and\s*/\s*)?or\s+([a-z]+)\b", re.IGNORECASE)
# "or" between two pieces of the user's data (as `data.PLACEHOLDER` marks them): "@p0 or @p1", "@p0, @p1 and/or @p2"
_OR_ANOTHER = lazy_compile(r"@[a-z]\d+\s*,?\s+(?:and\s*/\s*)?or\s+@[a-z]\d+", re.IGNORECASE)


def offered_as_a_choice(goal: Goal, step: TaskStep) -> list[str]:
    """A note for a step whose clause offers another work after "or": only one was planned. A change planned so
    (``step.condition``), or offered on one thing or another, is asked for, as a change said under a condition
    is (``binding``, whose warning says why)."""
    if goal.clause.question or not step.candidates:
        return []
    text = goal.clause.text
    offered = [m.group(0) for m in _OR_A_VERB.finditer(text) if is_verb(base_verb(m.group(1).lower()))]
    if not offered:
        if _OR_ANOTHER.search(text) is not None:
            # asked only of a change (``binding``): "Summarize a.txt or b.txt" still summarizes each
            step.condition = step.condition or "offered as a choice: one thing or another it names"
        return []
    said = offered[0]
    # a change offered as a choice ("Delete or summarize notes.txt") is asked, as one said under a condition is
    step.condition = step.condition or f"offered as a choice: {said}"
    return [
        f"step {step.id!r} ({step.action!r}) offers a choice ({said!r}): one work is planned, by "
        f"{step.candidates[0]}; say which one, or 'and' to have both done"
    ]
