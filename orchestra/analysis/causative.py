"""Work the user orders done in the passive, no one named to do it: "Have @p0 deleted", "Get the file @p0 removed",
"I want @p0 deleted", "@p0 needs deleting", "@p0 needs to be deleted", "Have the report sent to @e0". Each is the
user's order, as "Delete @p0" is (it was read as no work: "no action found"). One that names who is to do it
("Have @p0 deleted by Bob") is another's act, said in the active ("have Bob delete @p0") for the plan to report as
theirs (`planning.reported`); it was read as no work ("no action found"). One done by no person ("by cron") is
left unread."""

from __future__ import annotations

import re

from orchestra.analysis.said_values import DAYS_OF_THE_WEEK
from orchestra.analysis.words import DONE_WORD, IRREGULAR_DONE, base_verb, is_verb
from orchestra.lazy_regex import lazy_compile
from orchestra.planning.reported import a_person

# What is acted on: a pointer, placeholders, or a determiner and a few words ("the file @p0", "the report"), never
# any words ("Tell me why @p0 should be deleted" asks why)
_THING = (
    r"(?P<thing>it|them|this|that|these|those|@\w+(?:\s*(?:,\s*and|,|and)?\s*@\w+)*"
    r"|(?:the|this|that|these|those|my|our|your|all|both|some|a|an)\s+(?:[\w'\u2019-]+\s+){0,2}?"
    r"(?:@\w+(?:\s*(?:,\s*and|,|and)?\s*@\w+)*|[\w'\u2019-]+))"
)
# Where the participle ends: the sentence, a place or a person it goes to, or a word of when or how
_ENDS = (
    r"(?=\s*$|\s*[,;.!?]|\s+(?:to|into|onto|in|as|for|from|with|at|on|via|by|and|then|please|now|asap|immediately"
    r"|today|tonight|tomorrow|first|too|also|right|soon|quickly|for\s+me)\b)"
)
_ORDERS = (
    # "Have @p0 deleted", "Please get the file @p0 removed": not a question ("Have you deleted @p0?")
    r"(?:(?:please|kindly|just|also|then|and|now|so)\s+)*(?:have|get)\s+(?!(?:you|we|i|they|he|she|u|ya)\b)"
    + _THING
    + r"\s+(?P<done>"
    + DONE_WORD
    + r")"
    # "I want @p0 deleted", "We'd like the report sent to @e0"
    + r"|(?:(?:so|and|but|also|now)\s+)*(?:i|we)\s*(?:would|'d|d)?\s*(?:really\s+)?(?:like|love|want|need)\s+"
    + r"(?!to\b)"
    + _THING.replace("thing", "wanted")
    + r"\s+(?:to\s+be\s+)?(?P<wanted_done>"
    + DONE_WORD
    + r")"
    # "@p0 needs deleting", "@p0 needs to be deleted", "the report must be sent to @e0"
    + r"|"
    + _THING.replace("thing", "subject")
    + r"\s+(?:needs?|has\s+to|have\s+to|must|should)\s+(?:(?:to\s+)?be\s+(?P<subject_done>"
    + DONE_WORD
    + r")|(?P<gerund>[a-z]+ing))"
)
_ORDERED = lazy_compile(r"^\s*(?:" + _ORDERS + r")" + _ENDS, re.IGNORECASE)
# "by email", "by Friday", "by @u0": how or when, not who
_BY_A_MEANS = lazy_compile(
    r"\s+by\s+(?:e-?mail|mail|post|courier|fax|sms|text|slack|ftp|http|sftp|scp|@|\d|tomorrow|tonight|noon|midnight"
    rf"|{DAYS_OF_THE_WEEK}|(?:the\s+)?end\b|then|now)",
    re.IGNORECASE,
)
# Who is to do it, after "by": a name, or a person said by a noun ("by my colleague", "by the team")
_BY_WHOM = lazy_compile(r"\s+by\s+(?P<who>(?:(?:my|our|his|her|their|the)\s+)?[\w'\u2019-]+)", re.IGNORECASE)
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "my", "our", "some", "all", "both"})


def ordered_in_the_passive(clause: str) -> str | None:
    """The clause as the order it gives in the active ("Have @p0 deleted": "delete @p0"); None when it says no
    such order, or names another to do it ("Have @p0 deleted by Bob")."""
    found = _ORDERED.match(clause)
    if found is None:
        return None
    thing = found.group("thing") or found.group("wanted") or found.group("subject")
    done = (found.group("done") or found.group("wanted_done") or found.group("subject_done") or "").lower()
    gerund = (found.group("gerund") or "").lower()
    verb = IRREGULAR_DONE.get(done) or base_verb(done or gerund)
    if verb in (done, gerund) or not is_verb(verb):
        return None  # "a red car", "@p0 needs something": no verb of work
    if thing.lower() in {"the", "a", "an", "some", "my", "our"}:
        return None  # a determiner alone: "I want the deleted files listed" names them by more words
    if thing.split()[0].lower() in _DETERMINERS:
        thing = thing[0].lower() + thing[1:]  # "The file @p0 should be deleted": delete the file @p0
    rest = clause[found.end() :]
    if re.match(r"\s+by\s", rest, re.IGNORECASE) and not _BY_A_MEANS.match(rest) and _by_whom(rest) is None:
        return None  # "Have @p0 deleted by cron": done by no one the plan can report
    by = _by_whom(rest)
    if by is not None:  # "Have @p0 deleted by Bob", "Have @p0 sent to @e0 today by Bob": Bob's act
        return f"have {by.group('who')} {verb} {thing}{rest[: by.start()]}{rest[by.end() :]}"
    return f"{verb} {thing}{rest}"


def _by_whom(rest: str) -> re.Match[str] | None:
    """Where the words after a participle say a person is to do it ("... to @e0 today by Bob"), if they do."""
    for by in _BY_WHOM.finditer(rest):
        if not _BY_A_MEANS.match(rest, by.start()) and a_person(by.group("who")):
            return by
    return None


# Pointers listed ("@p0 and @p1", "@p0, @p1 and @p2"), as the passive's thing
_POINTER = lazy_compile(r"@\w+", 0)
_LISTED = lazy_compile(r"(?P<said>(?:[\w'\u2019-]+\s+){0,3}?)@\w+(?:\s*(?:,\s*and|,|and)\s*@\w+)+", re.IGNORECASE)


def listed_in_the_passive(sentence: str) -> str:
    """``sentence`` with the files a passive order lists said one after another ("Have @p0 and @p1 deleted by
    Bob": "Have @p0 @p1 deleted by Bob"), so the "and" cutting clauses leaves the order whole: cut, "Have @p0" was
    no work and "@p1 deleted by Bob" none either ("no action found"), where one file was Bob's delete."""
    found = _ORDERED.match(sentence)
    thing = found.group("thing") or found.group("wanted") or found.group("subject") if found else None
    listed = _LISTED.fullmatch(thing) if thing is not None else None
    if found is None or listed is None or ordered_in_the_passive(sentence) is None:
        return sentence
    group = next(g for g in ("thing", "wanted", "subject") if found.group(g))
    start, end = found.span(group)
    return sentence[:start] + listed.group("said") + " ".join(_POINTER.findall(listed.group(0))) + sentence[end:]
