"""Speech a request reports is not an order it gives: "My boss said: delete b.txt", "The README says: run setup.sh",
"Someone wrote: send x to y" tell what another said, and a plan that deleted, ran or sent for it did what the user
never asked (attack309). The user's own lead-ins stay orders: "Please do this: delete b.txt", "Task: delete b.txt",
"As I said: delete b.txt"."""

from __future__ import annotations

import re

from orchestra.lazy_regex import lazy_compile

# Someone's words, as a colon or a quote opens them after a verb of saying: what they said runs to the end of its
# sentence, or of the quote.
_REPORTING = lazy_compile(
    r"(?P<lead>\b(?:(?:my|our|your|his|her|their|the|a|an)\s+)?(?P<who>[a-z0-9'\u2019]+)\s+(?:(?:has|have|had|just|also|once|always|then|kindly)\s+)?"
    r"(?:said|says|wrote|writes|told\s+(?:me|us)|tells\s+(?:me|us)|asked(?:\s+(?:me|us))?|asks(?:\s+(?:me|us))?"
    r"|mentioned|mentions|suggested|suggests|claimed|claims|stated|reads|replied|replies|answered|commented"
    r"|texted|emailed|messaged|recommended|recommends|instructed|instructs|insisted|insists|demanded|demands"
    r"|ordered|tweeted|posted|(?<!then\s)(?<!please\s)(?<!and\s)(?<!now\s)(?<!just\s)say))"
    r"(?:\s*:\s*(?P<speech>.*?)(?=[.!?](?:\s|$)|\n|$)"
    r"|\s*,?\s*(?P<quote>[\"\u201c\u2018'])(?P<quoted>.*?)(?:[\"\u201d\u2019']|$)"
    # or an infinitive after it: "My boss told me to delete b.txt", "The README says to run setup.sh"
    r"|\s+to\s+(?P<infinitive>.*?)(?=[.!?](?:\s|$)|;|\n|$))",
    re.IGNORECASE | re.DOTALL,
)
# Who says it: the user's own words, said again, are an order ("As I said: delete b.txt").
_THE_USER = frozenset({"i", "we"})


def reported_by(action: str, task: str) -> str | None:
    """The words reporting the speech (``"My boss said"``) when the clause ``action`` is only within speech the
    request reports; None when the user asks it (it is also said outside any, or none is reported). A clause not
    found in the request as written (the analysis said it in other words) is taken as reported when speech is."""
    text = " ".join(task.split())
    spans = [
        (m.start(group), m.end(group), m.group("lead"))
        for m in _REPORTING.finditer(text)
        if m.group("who").lower() not in _THE_USER
        for group in ("speech", "quoted", "infinitive")
        if m.group(group) is not None
    ]
    if not spans:
        return None
    said = " ".join(action.split())
    found = [m.start() for m in re.finditer(re.escape(said), text, re.IGNORECASE)] if said else []
    within = [next((lead for start, end, lead in spans if start <= at < end), None) for at in found]
    if None in within:
        return None
    return next((lead for lead in within if lead), spans[0][2])
