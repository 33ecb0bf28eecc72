"""The assistant's own result named by "your" ("how similar is your transcription to 'X'?") is the earlier step's.

A question naming "you" or "your" is read as asking the assistant itself ("what do you think?", "how are you?"),
no work; and "your transcription" keeps its work noun, so its clause chose the transcriber again and was folded
into the step before as a restatement. Either way the question vanished from the plan with nothing said missing
(issue 11). "Your summary", "your translation", "your result" name what work said before them made: read as "it",
the result feeds the clause, as "it" does.
"""

from __future__ import annotations

import re

from orchestra.analysis.words import base_verb, is_verb, verb_of, words, work_noun
from orchestra.lazy_regex import lazy_compile

# What the work before made, named by no verb's stem: "your result", "your output".
_RESULT_WORDS = frozenset({"result", "results", "output", "outputs"})
_YOURS = lazy_compile(r"\byour\s+([a-z]+)\b", re.IGNORECASE)
# A question for what the assistant made, right before "your": "What is your summary", "what's your translation"
_ASKED_OF_YOU = lazy_compile(r"\b(?:what|what's|whats|where|where's|which)(?:\s+(?:is|are|was|would\s+be))?\s+$", re.I)


def yours_as_it(text: str) -> str:
    """``text`` with each "your <result>" read as "it" when the words before it ask that work ("Transcribe @p0. How
    similar is your transcription to @q0?": how similar is it to @q0); "your result" is any work's said before it.
    "Read @p0 and give me your summary" keeps its words: no summary was asked before it."""

    def read(match: re.Match[str]) -> str:
        noun = match.group(1).lower()
        before = {base_verb(w) for w in words(text[: match.start()])}
        if noun in _RESULT_WORDS and any(is_verb(w) for w in before):
            return "it"
        # "your caption" after "Caption @p0": a noun that is the verb itself
        made = (work_noun(noun) and verb_of(noun) in before) or (is_verb(noun) and noun in before)
        if not made and work_noun(noun) and _ASKED_OF_YOU.search(text[: match.start()]):
            # "Read @p0. What is your summary?": the work asked, as "What is the summary?" asks it (read as a question
            # to the assistant itself, it was dropped with nothing said)
            return f"the {match.group(1)}"
        return "it" if made else match.group(0)

    return _YOURS.sub(read, text)
