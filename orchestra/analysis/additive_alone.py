"""A piece saying only that more follows ("In addition,", "Secondly,", "Moreover,") before a question is no clause.

Read as a piece of context, it stood before the question after it ("Transcribe @p0. Secondly, how similar is it to
@q0?"), which then vanished from the plan with nothing said missing (issue 11). "Also", "next" and "finally" are
separators already; these words are not, as they open sentences that tell too ("Secondly, it is noisy"). Before a
request ("Furthermore, could you determine ...") the piece was read as before: the clause after it is asked anyway.
"""

from __future__ import annotations

import re

from orchestra.analysis.words import QUESTION_WORDS, words
from orchestra.lazy_regex import lazy_compile

_ADDITIVE_ALONE = lazy_compile(
    r"\s*(?:and\s+|but\s+)?(?:in\s+addition(?:\s+to\s+(?:that|this))?|additionally|secondly|thirdly|fourthly"
    r"|second|third|furthermore|moreover|besides(?:\s+(?:that|this))?|on\s+top\s+of\s+(?:that|this)"
    r"|beyond\s+that|apart\s+from\s+(?:that|this)|aside\s+from\s+(?:that|this))\s*",
    re.IGNORECASE,
)
# A question asked with no interrogative: "Secondly, is it positive?", "Moreover, does it mention Paris?"
_ASKING = QUESTION_WORDS | {"is", "are", "was", "were", "does", "do", "did"}


def adds_before_a_question(parts: list[str], index: int) -> bool:
    """Whether ``parts[index]`` (pieces and separators alternating) says only that more follows, and the piece
    after it opens a question."""
    if _ADDITIVE_ALONE.fullmatch(parts[index]) is None:
        return False
    after = next((words(p) for p in parts[index + 2 :: 2] if words(p)), [])
    return bool(after) and after[0] in _ASKING
