"""Work offered as a choice: "Summarize or delete notes.txt", "Summarize and/or delete notes.txt".

One clause with one tool, one of the two verbs was done and the other dropped unsaid (the delete, here). Which one
the user wants is theirs to say; the plan says what it did and how to ask for both.
"""

from __future__ import annotations

import re

from orchestra.analysis.goals import Goal
from orchestra.analysis.models import TaskStep
from orchestra.analysis.words import base_verb, is_verb

# "or" (or "and/or") right before a verb of work: another work offered in place of the one before it
_OR_A_VERB = re.compile(r"\b(?:and\s*/\s*)?or\s+([a-z]+)\b", re.IGNORECASE)


def offered_as_a_choice(goal: Goal, step: TaskStep) -> list[str]:
    """A note for a step whose clause offers another work after "or": only one was planned. A change planned so
    (``step.condition``) is asked for, as a change said under a condition is (``binding``)."""
    if goal.clause.question or not step.candidates:
        return []
    offered = [m for m in _OR_A_VERB.finditer(step.action) if is_verb(base_verb(m.group(1).lower()))]
    if not offered:
        return []
    said = offered[0].group(0)
    # a change offered as a choice ("Delete or summarize notes.txt") is asked, as one said under a condition is
    step.condition = step.condition or f"offered as a choice: {said}"
    return [
        f"step {step.id!r} ({step.action!r}) offers a choice ({said!r}): one work is planned, by "
        f"{step.candidates[0]}; say which one, or 'and' to have both done"
    ]
