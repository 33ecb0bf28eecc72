"""Work a clause says is not to be done, said of what it would be done to rather than as a verb refused at the
clause's head ("do not delete it", `clauses.NEGATED`): "@p0 should not be deleted", "make sure @p0 is not
deleted", "@q0 must never be run", "nothing should be deleted", "delete nothing". Read for their verb, they
planned the very work refused: "Summarize notes.txt. notes.txt should not be deleted." deleted notes.txt, and
"'rm -rf x' should not be run" ran it (attack122)."""

from __future__ import annotations

import re

from orchestra.analysis.words import IRREGULAR_DONE, base_verb, is_verb, work_noun
from orchestra.lazy_regex import lazy_compile

# "make sure", "ensure that", "check that", "see to it that": a lead-in asking that a state holds.
_HOLDS = r"(?:(?:(?:make|be)\s+sure|ensure|check|verify|confirm|see\s+to\s+it)\s+(?:that\s+)?)?"
# What the work would be done to: the user's data (a placeholder), a pronoun or a short noun phrase, never opening
# with a verb of work ("translate the text that was not translated" asks for a translation).
_SUBJECT = r"(?P<subject>(?:@\w+|[a-z'\u2019-]+)(?:\s+(?:@\w+|[a-z'\u2019-]+)){0,5}?)"
# "should not be", "must never get", "is not to be", "isn't", "cannot be", "won't ever be": a negation, and the
# passive's "be" or "get" (in the verb or after it: "I cannot wait to hear it" refuses nothing).
_MODAL = r"(?:should|must|shall|will|would|can|could|may|might|ought\s+to|need|needs|has|have|had|do|does|did)"
_BE = r"(?:is|are|was|were|be|been|being|gets?|got|get)"
_NOT = r"(?:\s+not|\s+never|n['\u2019]t)"
_NEGATED_AUX = (
    rf"(?:{_BE}{_NOT}(?:\s+(?:ever|be|get|been|being|to\s+be|to\s+get))*"
    rf"|(?:{_MODAL}{_NOT}|cannot|can['\u2019]t|won['\u2019]t|shan['\u2019]t)(?:\s+ever)?(?:\s+(?:be|get|been|being|to\s+be|to\s+get))+)"
)
# "nothing should be deleted", "no file is to be removed", "none of the files may be deleted", "nothing else should be
# deleted" (a delete of a path asked for): no thing at all
# ("no more than 3", "no later than" bound a thing).
_NOTHING = r"(?:nothing|nobody|no\s*one|none(?:\s+of\s+(?:@\w+|[a-z]+)(?:\s+(?:@\w+|[a-z]+))?)?|no\s+(?!(?:more|less|fewer|longer|later|sooner|earlier|further|matter|doubt)\b)[a-z]+(?:\s+[a-z]+)?)"
_PASSIVE = rf"(?:(?:{_MODAL}|{_BE})(?:\s+(?:ever|be|get|been|being|to\s+be|to\s+get))*)"
NEGATED_PASSIVE = lazy_compile(
    rf"^\s*{_HOLDS}(?:{_SUBJECT}\s+{_NEGATED_AUX}|{_NOTHING}(?:\s+(?:else|more))?\s+{_PASSIVE})\s+(?P<done>[a-z]+)\b",
    re.IGNORECASE,
)
# "@p0 should not, under any circumstances, be deleted": the negation cut from its verb by a comma; what follows it in
# the sentence is refused with it (`clauses._sentence`'s dropping).
DANGLING = lazy_compile(rf"^\s*{_HOLDS}{_SUBJECT}\s+(?:{_MODAL}|{_BE}|cannot){_NOT}?(?:\s+(?:ever|be|get))*\s*$", re.I)
# "delete nothing", "deleting none of them", "remove no files": the verb's object is no thing ("delete nothing but
# @p0", "nothing else than", "nothing more than" name what is to go).
NOTHING_AS_OBJECT = lazy_compile(
    rf"^\s*(?P<verb>[a-z]+)\s+{_NOTHING}(?!\s+(?:but|except|besides|other|else|more|apart|save)\b)",
    re.IGNORECASE,
)


# "refrain from deleting it", "deletion is prohibited", "deleting it is forbidden": work refused by a verb or an
# adjective of not allowing it ("Deletion is prohibited" planned delete_file, its path asked).
REFRAINED = lazy_compile(
    r"^\s*(?:please\s+)?(?:refrain|abstain|desist|keep)\s+from\b"
    r"|^\s*(?:any\s+|all\s+|the\s+)?(?P<work>[a-z]+(?:ing|ion|al))\b.{0,80}?\b(?:is|are|be|remains?)\s+(?:strictly\s+|absolutely\s+)?"
    r"(?:prohibited|forbidden|banned|disallowed|not\s+(?:allowed|permitted|wanted|ok|okay)|off-limits|out\s+of\s+the\s+question)\b",
    re.IGNORECASE,
)
# "making sure not to delete it", "take care not to delete @p0", "see that you never delete @p0", "be careful to not
# run @c0": care asked that the work is not done, in any form of its verb (each deleted @p0, attack140: only "make /
# be sure" and "ensure" were read, by `clauses.NEGATED`). A verb of leaving undone after it ("make sure not to forget
# to save it") asks for the work.
_CARE = (
    r"(?:(?:make|makes|making|made|be|being)\s+(?:sure|certain|careful)|(?:take|takes|taking|took)\s+care"
    r"|ensur(?:e|es|ing)|see(?:ing)?\s+(?:to\s+it\s+)?that|mind|remember(?:ing)?|tr(?:y|ying))"
)
CARED_NOT = lazy_compile(
    rf"^\s*(?:(?:and|but|so|just|please)\s+)*{_CARE}\s+(?:that\s+)?(?:(?:you|we|i|they|nobody|no\s*one)\s+)?"
    rf"(?:{_MODAL}{_NOT}|cannot|can['\u2019]t|won['\u2019]t|don['\u2019]?t|never|not\s+to|to\s+not|not)(?:\s+ever)?"
    r"\s+(?!(?:forget|fail|neglect|omit|hesitate|skip|miss|avoid|only|just|merely|simply)\b)(?P<verb>[a-z]+)\b",
    re.IGNORECASE,
)
# Participles not ending in -ed, beside `words.IRREGULAR_DONE`: "must not be overwritten", "should not be run".
_DONE_IRREGULARLY = frozenset("overwritten run done made put shown given taken".split())


def _work(word: str) -> bool:
    """Whether ``word`` names work: a verb of work, or its participle ("deleted", "run", "written")."""
    lowered = word.lower()
    return (
        lowered in IRREGULAR_DONE or lowered in _DONE_IRREGULARLY or is_verb(lowered) or base_verb(lowered) != lowered
    )


def _done(word: str) -> bool:
    """Whether ``word`` is a participle of work ("deleted", "run", "written"; not "wait", "sure")."""
    lowered = word.lower()
    return lowered in IRREGULAR_DONE or lowered in _DONE_IRREGULARLY or (lowered.endswith("ed") and _work(lowered))


def not_to_be_done(body: str) -> bool:
    """Whether the clause ``body`` (data as placeholders) says its work is not to be done, of what it would be done
    to: "@p0 should not be deleted", "make sure nothing is removed", "delete nothing"."""
    dangling = DANGLING.match(body)
    if dangling is not None and re.search(r"\b(?:not|never|cannot)\b|n['\u2019]t\b", dangling.group(0), re.I):
        return not is_verb(dangling.group("subject").split()[0].lower())
    said = NEGATED_PASSIVE.match(body)
    if said is not None and _done(said.group("done")):
        subject = said.group("subject")
        return subject is None or not is_verb(subject.split()[0].lower())
    refrained = REFRAINED.match(body)
    if refrained is not None and (
        refrained.group("work") is None or _work(refrained.group("work")) or work_noun(refrained.group("work").lower())
    ):
        return True
    cared = CARED_NOT.match(body)
    if cared is not None and _work(cared.group("verb")):
        return True
    nothing = NOTHING_AS_OBJECT.match(body)
    return nothing is not None and _work(nothing.group("verb"))


# "tell me how to delete @p0", "explain how I can remove it", "let me know whether to delete @p0", "tell me if I
# should run @c0", "tell me why @p0 should be deleted", "ask me before deleting @p0": knowing, or the user's leave,
# is asked, not the work (each deleted @p0). "tell me what @p0 says", "how similar they are", "whether the photo
# shows a cat" ask for a fact a tool finds.
_MAY = r"(?:should|can|could|may|might|must|need|ought|have\s+to|would|shall|do)"
_WHO = r"(?:i|we|you|one|someone)"
ASKED_ABOUT = lazy_compile(
    r"^\s*(?:please\s+)?(?:tell|show|explain|teach|ask|advise|let)\s+(?:(?:me|us)\s+(?:know\s+)?|to\s+(?:me|us)\s+)?"
    rf"(?:(?:how|whether|if)\s+(?:to|{_WHO}\s+{_MAY}|{_MAY}\s+{_WHO})|why\s+(?:\S+\s+){{0,4}}?{_MAY}|before)\b",
    re.IGNORECASE,
)


def asks_about(text: str) -> bool:
    """Whether a clause (data as placeholders) asks to be told about its work, or asked before it, not for it."""
    return ASKED_ABOUT.match(text) is not None


# "ask me before deleting @p0", "delete @p0, but ask me first", "check with me before running @c0", "delete it after my
# approval": the work waits on the user's leave, which no step asks for mid-run; it is asked about, not done.
LEAVE_FIRST = lazy_compile(
    r"\b(?:ask(?:ing)?\s+(?:me|us)\s+(?:first|before|beforehand|for\s+(?:permission|confirmation|approval|leave))"
    r"|(?:check|confirm)(?:ing)?\s+with\s+(?:me|us)"
    r"|(?:with|after|upon|on)\s+my\s+(?:permission|approval|confirmation|ok|go-ahead|say-so))\b",
    re.IGNORECASE,
)


def waits_for_leave(texts: list[str]) -> list[int]:
    """Which of a sentence's clauses ``texts`` wait for the user's leave: the one saying it, and the one before it
    unless it says what waits ("delete @p0, but ask me first"; "summarize @p0, but ask me before saving it")."""
    waiting: list[int] = []
    for n, text in enumerate(texts):
        said = LEAVE_FIRST.search(text)
        if said is not None:
            waiting += [n] if "before" in said.group(0).lower() or n == 0 else [n - 1, n]
    return waiting


# "keep @p0", "actually, leave @p0 alone", "never mind @p0", "don't touch @p0": a clause keeping what it names.
KEEPS = lazy_compile(
    r"^\s*(?:(?:actually|instead|but|and|so|please|oh|no|wait|rather|then|just)\s+)*"
    r"(?:keep|leave|spare|preserve|retain|never\s+mind|(?:do\s+not|don['\u2019]?t|never)\s+touch"
    # a refusal naming only what it refuses: "delete a.txt and notes.txt, but not notes.txt"
    r"|(?:not|never|except|excluding)(?=\s+(?:the\s+)?@))\b",
    re.IGNORECASE,
)


# "Delete @p0. No wait, summarize it instead.", "... Scratch that, summarize it.", "... Actually, summarize it
# instead.": the work said before is taken back, and was done (attack140). It is asked about, as work under a
# condition is: whether it is replaced or added to is the user's to say. "instead of deleting it" retracts nothing.
# A bare "no" opening a sentence of other work ("Delete @p0. No, just summarize it", "Email @p0? Nope - summarize
# it") takes back as "no wait" does (attack242: the delete and the e-mail were planned beside the summary).
RETRACTION = lazy_compile(
    # "Actually, never mind.", "Well, scratch that": a word opening the sentence before it (attack261: the delete ran)
    r"^\s*(?:(?:actually|well|oh|hmm+|ok(?:ay)?|sorry|wait)\s*[,;:!.\u2026-]*\s*)*"
    r"(?:(?:oh\s+)?no\s*,?\s*wait|wait\s*,?\s*no|no\s*,?\s*(?:actually|scratch\s+that|sorry)|scratch\s+that"
    r"|(?:actually\s*,?\s*|oh\s+)?(?:no|nope|nah)\s*[,;:!\u2013\u2014-]+\s*(?=\w)"
    r"|strike\s+that|cancel\s+that|forget\s+(?:that|it|what\s+I\s+said)|never\s*mind(?:\s+(?:that|it))?(?=\s*[,.;:!]|\s*$)"
    r"|(?:just\s+)?kidding|j/?k|on\s+second\s+thoughts?|I\s+changed\s+my\s+mind|change\s+of\s+plans?)\b[\s,;:!.\u2013\u2014-]*"
    r"|\binstead\b(?!\s+of\b)",
    re.IGNORECASE,
)


def takes_back(sentence: str) -> re.Match[str] | None:
    """Whether a sentence takes back the work said before it ("No wait, ...", "... instead"), and its words."""
    return RETRACTION.search(sentence)
