"""A question asked after work, of what it made, need not point back at it: "Transcribe x.wav and tell me who is
speaking", "Caption photo.jpg and tell me where it was taken" ask of the transcript and the caption as "who wrote it?"
does. Without a word pointing back, the transcript was given as the question and the context was asked for; the
question is the clause's words, asked of the result before it. A question naming its own data ("tell me how similar
'a' and 'b' are") is not one of these: it names what it asks of."""

from __future__ import annotations

import re

from orchestra.analysis.data import PLACEHOLDER
from orchestra.lazy_regex import lazy_compile

_LEAD = r"^(?:(?:please|now|also|then|and|just)\s+)*"
# Asked to be told in words: "tell me who wrote @p0", "let me know what @p0 says about Paris"
_TELL = r"(?:(?:tell|show)\s+(?:me|us)|let\s+(?:me|us)\s+know)\s+"
_TOLD = lazy_compile(_LEAD + _TELL, re.IGNORECASE)
_QUESTION_WORD = lazy_compile(r"(?:who|whom|whose|what|which|where|when|why|whether)\b", re.IGNORECASE)
# A question in words, after a verb asking it or alone: "tell me who is speaking", "say what language is spoken",
# "who is speaking", "find out which speaker is loudest"
_WONDERED = lazy_compile(
    _LEAD + rf"(?:{_TELL}|(?:say|find\s+out|answer|determine|work\s+out|figure\s+out)\s+)?"
    r"(?:who|whom|whose|what|which|where|when|why|how|whether)\b",
    re.IGNORECASE,
)


def asks_in_its_own_words(clause: str) -> bool:
    """Whether ``clause`` asks to be told what a question word opens ("tell me who wrote @p0"), whatever data it
    names: the words are the question, the data what it is asked of ("Tell me who wrote a.txt" gave a.txt's text
    as the question)."""
    told = _TOLD.match(clause.strip())
    return told is not None and _QUESTION_WORD.match(clause.strip(), told.end()) is not None


def asks_of_the_work_before(clause: str) -> bool:
    """Whether ``clause`` asks a question in its own words and names no data of its own to ask it of."""
    return _WONDERED.match(clause.strip()) is not None and PLACEHOLDER.search(clause) is None
