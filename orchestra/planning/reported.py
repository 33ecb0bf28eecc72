"""Speech a request reports is not an order it gives: "My boss said: delete b.txt", "The README says: run setup.sh",
"Someone wrote: send x to y" tell what another said, and a plan that deleted, ran or sent for it did what the user
never asked (attack309). The user's own lead-ins stay orders: "Please do this: delete b.txt", "Task: delete b.txt",
"As I said: delete b.txt"."""

from __future__ import annotations

import re

from orchestra.lazy_regex import lazy_compile

# Someone's words, as a colon or a quote opens them after a verb of saying (or "according to X:"): what they said
# runs to the end of its sentence, or of the quote. Who said it may be named again ("My boss, Bob, said") and where
# or to whom before the colon ("wrote in Slack:", "said to me yesterday:"); "is/are posted:" is no one saying.
# The colon, as other scripts write it too (full width, small, presentation form, ratio, letter colon)
_COLONS = r":\uff1a\ufe55\ufe13\u2236\ua789"
_DETERMINER = r"(?:(?:my|our|your|his|her|their|the|a|an)\s+)?"
_REPORTING = lazy_compile(
    r"(?P<lead>\b(?:according\s+to\s+" + _DETERMINER + r"(?P<source>[a-z0-9'\u2019]+)(?=\s*[" + _COLONS + r"])"
    r"|" + _DETERMINER + r"(?!(?:is|are|was|were|be|been|being|gets?|got)\b)"
    r"(?P<who>[a-z0-9'\u2019]+)(?:\s*,[^,.!?:;]{1,40},|\s*\([^)]{1,40}\))?\s+"
    r"(?:(?:has|have|had|just|also|once|always|then|kindly)\s+)?"
    r"(?:said|says|wrote|writes|told\s+(?:me|us)|tells\s+(?:me|us)|asked(?:\s+(?:me|us))?|asks(?:\s+(?:me|us))?"
    r"|mentioned|mentions|suggested|suggests|claimed|claims|stated|reads|replied|replies|answered|commented"
    r"|texted|emailed|messaged|recommended|recommends|instructed|instructs|insisted|insists|demanded|demands"
    r"|ordered|tweeted|posted|(?<!then\s)(?<!please\s)(?<!and\s)(?<!now\s)(?<!just\s)say)))"
    r"(?:(?:\s+[^\s.!?:;,\"\u201c\u2018"
    + _COLONS
    + r"]+){0,5}?\s*["
    + _COLONS
    + r"](?![/\d])\s*(?P<speech>.*?)(?=[.!?](?:\s|$)|$)"
    r"|\s*,?\s*(?P<quote>[\"\u201c\u2018'])(?P<quoted>.*?)(?:[\"\u201d\u2019']|$)"
    # or an infinitive after it: "My boss told me to delete b.txt", "The README says to run setup.sh"
    r"|\s+to\s+(?P<infinitive>.*?)(?=[.!?](?:\s|$)|;|\n|$))",
    re.IGNORECASE | re.DOTALL,
)
# Who says it: the user's own words, said again, are an order ("As I said: delete b.txt").
_THE_USER = frozenset({"i", "we", "me", "us"})
# Words the user makes their own ("Do what my boss said:", "As the README says:"): what follows is the user's order.
_ADOPTED = lazy_compile(
    # right before who said it: "As usual the bot replied:" adopts nothing
    r"(?:(?<!n't\s)(?<!not\s)(?<!never\s)\b(?:do|follow|obey)\s+(?:what|as|whatever)|\bas)\s+$",
    re.IGNORECASE,
)
# A condition on what another says ("If the health check says: OK, delete b.txt"): the order is after it. Only as it
# is said (present tense): "After lunch my boss said:" tells when it was said.
_AWAITED = lazy_compile(
    r"\b(?:if|when|whenever|unless|until|once(?!\s+(?:again|more)\b))\s+(?:[^\s,.!?:;]+\s+){0,3}$", re.IGNORECASE
)


def _said_by_another(m: re.Match[str], text: str) -> bool:
    who = (m.group("who") or m.group("source")).lower()
    start = m.start("lead")
    awaited = m.group("lead").lower().endswith("s") and _AWAITED.search(text, 0, start)
    return who not in _THE_USER and not _ADOPTED.search(text, 0, start) and not awaited


def reported_by(action: str, task: str) -> str | None:
    """The words reporting the speech (``"My boss said"``) when the clause ``action`` is only within speech the
    request reports; None when the user asks it (it is also said outside any, or none is reported). A clause not
    found in the request as written (the analysis said it in other words) is taken as reported when speech is."""
    text = " ".join(task.split())
    # From the words reporting the speech to its end: a clause the analysis did not cut at the colon ("Bob wrote\ua789
    # delete b.txt", its colon unknown there) is the report whole; one running past the speech says more, the user's.
    spans = [
        (m.start("lead"), m.end(), m.group("lead")) for m in _REPORTING.finditer(text) if _said_by_another(m, text)
    ]
    if not spans:
        return None
    said = " ".join(action.split())
    found = [m.start() for m in re.finditer(re.escape(said), text, re.IGNORECASE)] if said else []
    within = [next((lead for start, end, lead in spans if start <= at and at + len(said) <= end), None) for at in found]
    if None in within:
        return None
    return next((lead for lead in within if lead), spans[0][2])
