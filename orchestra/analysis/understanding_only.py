"""A clause asking only that the user understand what the steps before gave: "summarize notes.txt and help me
understand it better" asks for the summary, and says why; the understanding is the user's, no tool's work. Said
before the work ("help me understand this better: summarize notes.txt"), it says what that work is for.

Read as work, "understanding" found a tool whose description says "natural language understanding" (a token
classifier), or one by meaning alone (a sentence-similarity scorer), or was reported as a step nothing serves.
"""

from __future__ import annotations

from orchestra.analysis.goals import GENERIC_VERBS, Goal
from orchestra.analysis.words import QUESTION_WORDS, base_verb, words

# Words saying the user is to understand something.
UNDERSTANDING = frozenset("understand understanding comprehend comprehension grasp".split())
# Words saying how well or how much, never what: "a brief understanding", "understand it better".
DEGREE = frozenset(
    """better more fully full clearly clear clearer brief briefly quick quickly deeper deep little bit general
    overall basic good properly easily thoroughly whole entirely""".split()
)


def understanding_only(goal: Goal) -> bool:
    """Whether a clause asks for nothing but the user's understanding of what was given before it: it has no data of
    its own, asks no question ("help me understand what the chart shows" asks what it shows), and every word of it
    is one of understanding ("make sense of"), of how well, or a verb that says no work ("give me a brief
    understanding of it")."""
    said = [base_verb(w) for w in goal.keywords]
    if goal.own or goal.question or any(w in QUESTION_WORDS for w in words(goal.clause.text)):
        return False
    sense = "sense" in said and "make" in said  # "make sense of it"
    if not sense and not UNDERSTANDING & set(said):
        return False
    return all(w in UNDERSTANDING | DEGREE | GENERIC_VERBS or (sense and w == "sense") for w in said)
