"""Words that say on what work waits: "if @p0 is empty, delete it", "delete @p0 unless it is empty", "when the
download fails, delete @p0", "once @p0 is empty, delete it", "delete @p0 as long as it is empty". A change said under
one is asked about, never done whatever holds (`planning.binding`); attack131 found "when", "once", "as long as",
"provided that" read as no condition (the delete ran) and "Unless a.txt is empty, delete it" planned "Unless ..." as
a step of its own, the delete after it bare (fix134).

Not a condition: a politeness ("if you can", "if possible"), a time work is done by ("when the download finishes",
"once that's done": an order the steps keep), a question ("when is it due?"), "once" as a count ("once more").
"""

from __future__ import annotations

import re

from orchestra.analysis.delete_verbs import DELETE_VERBS
from orchestra.lazy_regex import lazy_compile

# After "when" or "once": the work before is done, which orders the steps rather than conditions them.
_DONE = (
    r"(?:\S+\s+){0,4}?(?:is\s+|are\s+|has\s+|have\s+|'s\s+|\u2019s\s+)?(?:been\s+)?"
    r"(?:done|finish(?:es|ed)?|complete[sd]?|ready|over|ends?|ended)\b"
)
_SUBJECT = (
    r"(?:it|they|he|she|we|you|i|there|the|this|that|these|those|my|your|our|its|their|all|no|nothing|everything"
    r"|both|each|any|some|@\w+)\b"
)
# After "when" or "as soon as": a time of work done, or a question ("when is it due"), is no condition.
_NO_TIME = rf"(?!\s+(?:{_DONE}|(?:is|are|was|were|do|does|did|will|would|can|could|should)\b))"
# A subject a sentence's inverted condition opens on ("should the download fail", "delete @p0 should it be empty");
# "should I / we / you ..." asks the user's own leave (a question, `not_done`), and a "?" asks rather than conditions
# (looked for in the clause's next 200 characters: to its end, a thousand "should the" took a thousand scans to it).
_INVERTED = (
    r"should(?=\s+(?:it|they|he|she|there|the|this|that|these|those|its|their|any|anything|something|anyone|someone"
    r"|nothing|either|@\w+)\b)(?![^?]{0,200}\?)"
)
# "after the tests pass", "after it is empty": an event no step makes; "after the summary is generated", "after it is
# translated", "after you are done", "after that", "after summarizing it" are work a step does, an order (attack140).
_AFTER_EVENT = (
    rf"after(?=\s+{_SUBJECT})(?!\s+that\b){_NO_TIME}"
    r"(?!\s+(?:\S+\s+){0,4}?(?:is|are|was|were|gets?|got|has\s+been|have\s+been)\s+(?:\w+ed|\w+en|made|done|sent|written)\b)"
)
# "if", "iff", "unless", "whenever", "in case", "in the event / case (that)", "provided (that)", "providing / assuming /
# supposing / presuming (that)", "on (the) condition (that)", "as (so) long as", "depending on whether", "on / upon
# failure", "when", "as soon as", "the moment", "every time", "only after" and "not before / until" before what is no
# time of work done, "once" before a subject, "should" before one (inverted); "if so" and "if not" after a question
# ("Is @p0 empty? If so, delete @p0" deleted it whatever the answer, attack140).
CONDITION = lazy_compile(
    r"(?:^\s*(?:and\s+|but\s+|then\s+)?|\s)(?:only\s+)?"
    r"(?:if|iff|unless|whenever|in\s+(?:the\s+)?(?:case|event)(?:\s+(?:that|of))?|provided(?:\s+that)?"
    r"|(?:providing|assuming|supposing|presuming)\s+that|on\s+(?:the\s+)?condition(?:\s+that)?"
    rf"|(?:assuming|supposing|presuming)(?=\s+{_SUBJECT})|(?:as|so)\s+long\s+as|(?:depending|based)\s+on\s+(?:whether|if)"
    r"|(?:on|upon)(?:\s+(?:a|an|any))?(?=\s+(?:fail|fails|failure|success|error|errors|timeout|crash)\b)"
    rf"|(?:when|as\s+soon\s+as|(?:every|each|any)\s+time(?:\s+that)?){_NO_TIME}"
    rf"|the\s+(?:moment|instant|minute)(?=\s+{_SUBJECT}){_NO_TIME}"
    rf"|(?:(?<=only\s)after|not\s+(?:before|until|till)){_NO_TIME}(?!\s+[a-z]+ing\b)|{_INVERTED}|{_AFTER_EVENT}"
    r"|(?<!\S\s)(?:or\s+)?(?:otherwise|else)(?=\s+\w)"
    rf"|once(?=\s+{_SUBJECT})(?!\s+{_DONE}))\s+"
    r"(?!(?:you|we)\s+(?:can|could|may|might|like|want|wish|please|have\s+(?:the\s+)?time|don['\u2019]?t\s+mind)\b"
    r"|(?:possible|needed|necessary|required|desired|so\s+(?:desired|inclined|minded|wished|requested)|any"
    r"|applicable|appropriate|not\s+[a-z]+|ever\s+(?:needed|necessary|required|possible|you|we)|at\s+all)\b)(?P<said>\S.*)$",
    re.IGNORECASE,
)


# "Summarize @p0; otherwise delete it": the work after it waits on what is not said (attack140: dropped unsaid).
OTHERWISE = lazy_compile(r"\s*(?:or\s+)?(?:otherwise|else)\b\s*", re.IGNORECASE)

# A word before a verb that makes it no imperative: "if you want to delete it", "if it doesn't delete it", "if it
# is empty", "if they summarize it".
_NOT_BEFORE_WORK = frozenset(
    """to not never do does did don't doesn't didn't can could will would should may might must shall is are was were
    be been am i you we they he she it who that which or and than the a an my your our his her its their this these
    those some any each every no of for in on at with by from into about as""".split()
)
# The work a condition changes a plan for: what changes or sends something (`planning.binding` asks it); before any
# other verb a piece with no comma is read as one, as it was (a cut before "summarize" lost odd-half edges).
CHANGING = DELETE_VERBS | frozenset(
    """kill run execute exec launch start stop restart install uninstall post send email mail upload publish write overwrite save store append export
    copy move rename replace truncate empty format deploy push commit reset drop""".split()
)
_WORDS = lazy_compile(r"[\w'@.\u2019-]+")


def work_after(part: str, verbs: frozenset[str] = CHANGING) -> int | None:
    """Where the work starts in a piece opening on a condition said without a comma: "if @p0 is empty delete it",
    "if it mentions @q0 delete it" (the whole piece was read as the condition, the delete dropped or "no action
    found", attack140): the last verb of ``verbs`` (changing something) in its base form after the condition's
    subject and verb, not after a word making it none ("to", "does", "is", a subject). "Otherwise delete it": after
    "otherwise"."""
    said = CONDITION.match(part)
    if said is None:
        return None
    opening = OTHERWISE.match(part)
    if opening is not None:
        return opening.end()
    found = list(_WORDS.finditer(part, said.start("said")))
    # the last changing verb: "if the tests pass delete @p0" ("pass" no imperative, "delete" the work)
    for n in range(len(found) - 1, 1, -1):
        word, before = found[n].group(0).lower(), found[n - 1].group(0).lower()
        if word in verbs and before not in _NOT_BEFORE_WORK and not before.endswith("ly"):
            return found[n].start()
    return None


# Work offered to be done or not, the choice left to the assistant: "Delete @p0, or not", "..., or (maybe) don't", "if you
# want (to)", "if you'd like", "up to you", "your call", "Maybe / Perhaps / Optionally delete @p0" (attack242: the
# delete and the send were done, as asked). Read as no condition ("if you want" is no "if you can": a politeness
# asks, an offer leaves it open), a change so offered is asked, as one said under a condition is (`planning.binding`).
# "Could you perhaps ..." asks: "maybe" and "perhaps" are offers opening a sentence, or a change after "and", "then"
# or a comma ("..., and perhaps segment the objects" asks for the segmentation as a suggestion, and changes nothing),
# and ending one.
_OFFERED = lazy_compile(
    r"[,;]?\s*\bor\s+(?:(?:maybe|perhaps|possibly)\s+)?(?:not|don['\u2019]?t|do\s+not|skip\s+it)\b(?=\s*[.!?]*\s*$)"
    r"|[,;]?\s*\b(?:if|whenever)\s+you\s+(?:(?:really\s+)?(?:want|wish|like|prefer|choose|decide|see\s+fit|feel\s+like\s+it)"
    r"|(?:['\u2019]d|would)\s+(?:like|prefer))\b(?:\s+to\b)?,?"
    r"|[,;]?\s*\b(?:(?:it['\u2019]?s|it\s+is)\s+)?(?:up\s+to\s+you|your\s+(?:call|choice))\b"
    r"|^(?:maybe|perhaps|optionally|possibly)\b,?\s*"
    # said last ("Email @p0 to @e0, maybe"): the send was done, as asked
    r"|[,;]?\s*\b(?:maybe|perhaps|optionally|possibly)\b(?=\s*[.!?]*\s*$)"
    rf"|(?:(?<=\band\s)|(?<=\bthen\s)|(?<=[,;]\s))(?:maybe|perhaps|optionally|possibly)\b,?\s*(?=(?:{'|'.join(CHANGING)})\b)",
    re.IGNORECASE,
)


def offer_in(sentence: str) -> tuple[str, str]:
    """``sentence`` without the words offering its work as a choice, and those words ("" where none)."""
    said = [m.group(0).strip(" ,;") for m in _OFFERED.finditer(sentence)]
    if not said:
        return sentence, ""
    return " ".join(_OFFERED.sub(" ", sentence).split()), f"offered as a choice: {said[0]}"
