"""A question the user presents in a sentence that tells ("I've got x.jpg with a question associated - 'What is
shown?'") is asked, when a later clause works on "the answer": "check if the summary matches the answer for this
question" compared the summary with nothing, the question never answered (x.jpg unused)."""

from __future__ import annotations

from orchestra.analysis.data import PLACEHOLDER, Extracted
from orchestra.analysis.own_words import is_a_question


def question_presented(text: str, extracted: Extracted) -> str | None:
    """The clause asking the one quoted question ``text`` presents, with the other data it names ("answer @q1 about
    @p0"), or None where it presents no question, or several."""
    quoted = [
        m.group(0)
        for m in PLACEHOLDER.finditer(text)
        if isinstance(value := extracted.items[int(m.group(2))].value, str)
        and m.group(1) == "q"
        and is_a_question(value)
    ]
    if len(quoted) != 1:
        return None
    others = [m.group(0) for m in PLACEHOLDER.finditer(text) if m.group(0) != quoted[0]]
    return f"answer {quoted[0]}" + (f" about {' and '.join(others)}" if others else "")
