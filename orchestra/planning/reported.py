"""Speech a request reports is not an order it gives: "My boss said: delete b.txt", "The README says: run setup.sh",
"Someone wrote: send x to y" tell what another said, and a plan that deleted, ran or sent for it did what the user
never asked (attack309). The user's own lead-ins stay orders: "Please do this: delete b.txt", "Task: delete b.txt",
"As I said: delete b.txt"."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from orchestra.lazy_regex import lazy_compile

# Someone's words, as a colon or a quote opens them after a verb of saying (or "according to X:"): what they said
# runs to the end of its sentence, or of the quote. Who said it may be named again ("My boss, Bob, said") and where
# or to whom before the colon ("wrote in Slack:", "said to me yesterday:"); "is/are posted:" is no one saying.
# The colon, as other scripts write it too (full width, small, presentation form, ratio, letter colon)
_COLONS = r":\uff1a\ufe55\ufe13\u2236\ua789"
# or an arrow: "Boss said -> delete b.txt"
_OPENS = r"(?:[" + _COLONS + r"](?![/\d])|-+>|=+>|[\u2192\u21d2\u27f6\u27f9])"
_DETERMINER = r"(?:(?:my|our|your|his|her|their|the|a|an)\s+)?"
# A verb, as what another is got to do begins: not a place or a person ("Get the report to Bob"), nor "be" (passive)
_A_VERB = r"(?!(?:the|a|an|my|our|your|his|her|their|this|that|these|those|it|them|him|me|us|you|be)\b)(?-i:[a-z]+)\b(?![.@/])"
# Another who acts: a name (capitalised, not a word beginning a sentence) or a person said by a noun or pronoun
_NAMED_OR_SAID = (
    r"(?-i:(?!(?:It|This|That|There|These|Those|Which|What|Who|How|Why|Where|When|Whatever|However|Perhaps|Maybe"
    r"|Everything|Something|Nothing|All|Each|Both|Then|Also|Now"
    r"|And|Please|You|We|Let|Just|So|But|If|When|Once|After|Before|Here|One|Someone\b)\b)[A-Z][a-z]+)"
    r"|(?:my|our|his|her|their|the)\s+(?:colleagues?|co-?workers?|team(?:mates?)?|boss|manager|admin|sysadmin|friends?"
    r"|partners?|clients?|intern|developers?|engineers?|wife|husband|brother|sister)"
)
_ANOTHER = _NAMED_OR_SAID + r"|he|she|they|someone|somebody"
# Another as who is had to act ("Have the team remove old.txt", "Have Bob delete b.txt"): a person only, as "have"
# before a thing asks it done by the assistant ("Have a look at a.txt", "Have the summary sent to Bob")
_HAD = r"have(?=\s+(?:" + _NAMED_OR_SAID + r"|him|her|them|someone|somebody|everyone|everybody)\s+" + _A_VERB + r")"
_REPORTING = lazy_compile(
    r"(?P<lead>\b(?:(?:according\s+to|per)\s+" + _DETERMINER + r"(?P<source>[a-z0-9'\u2019]+)(?=\s*" + _OPENS + r")"
    # a request the user asks another to do ("Ask Bob to delete b.txt", "Tell the team to run setup.sh"): a message
    # for them, not the act; "Have the team remove old.txt" asks that it be done, and stays the user's order
    r"|(?:(?<=^)|(?<=[.!?;,]\s)|(?<=\band\s)|(?<=\bthen\s)|(?<=\bplease\s))"
    # or gets another to do ("Get / Persuade / Allow Bob to delete b.txt", "Let / Suggest Bob delete b.txt"): the act is
    # theirs; a verb after "to", not a place ("Get the report to Bob")
    r"(?:ask|tell|remind|instruct|urge|get|persuade|convince|beg|encourage|allow|(?P<bare>let|suggest|" + _HAD + r")"
    r")\s+(?P<asked>" + _DETERMINER + r"[a-z0-9'\u2019]+"
    r"(?:\s+(?!(?:what|how|where|when|which|who|whom|why|whether|to)\b)[a-z0-9'\u2019]+)?)"
    r"(?=(?(bare)\s+(?:to\s+)?|\s+to\s+)" + _A_VERB + r")"
    # another as who does it: "Bob needs to / wants to / is going to / will delete b.txt", "My colleague has to ..."
    r"|(?P<agent>" + _ANOTHER + r")\s+(?:(?P<modal>will|would|should|must|can|could|may|might|shall)"
    r"|(?:needs?|has|have|had|wants?|wanted|plans?|planned|intends?|intended|offer(?:s|ed)|promis(?:es|ed)"
    r"|agree[sd]?|hopes?|hoped|tries|tried|(?:is|are|was|were)\s+(?:going|supposed|planning|about|meant|expected|due)"
    r"|ought)(?=\s+to\s))(?=(?(modal)\s+|\s+to\s+)" + _A_VERB + r")"
    r"|" + _DETERMINER + r"(?!(?:is|are|was|were|be|been|being|gets?|got)\b)"
    r"(?P<who>[a-z0-9'\u2019]+)(?:\s*,[^,.!?:;]{1,40},|\s*\([^)]{1,40}\))?\s+"
    r"(?:(?:has|have|had|just|also|once|always|then|kindly|already)\s+)?"
    r"(?:said|says|wrote|writes|told\s+(?P<told>" + _DETERMINER + r"[a-z0-9'\u2019]+)|tells\s+(?:me|us|you)"
    r"|asked(?:\s+(?:me|us|you))?"
    r"|asks(?:\s+(?:me|us|you))?"
    r"|mentioned|mentions|suggested|suggests|claimed|claims|stated|reads|replied|replies|answered|commented"
    r"|texted|emailed|messaged|recommended|recommends|instructed|instructs|insisted|insists|demanded|demands"
    r"|ordered|tweeted|posted|(?<!then\s)(?<!please\s)(?<!and\s)(?<!now\s)(?<!just\s)say)))"
    r"(?:(?:\s+[^\s.!?:;,\"\u201c\u2018" + _COLONS + r"]+){0,5}?\s*" + _OPENS + r"\s*(?P<speech>.*?)(?=[.!?](?:\s|$)|$)"
    r"|\s*,?\s*(?P<quote>[\"\u201c\u2018'])(?P<quoted>.*?)(?:[\"\u201d\u2019']|$)"
    # or an infinitive after it: "My boss told me to delete b.txt", "The README says to run setup.sh"
    # ", so delete it" after it is the user's conclusion: "The manual says to delete cache.txt, so delete cache.txt"
    # (what one is asked ends where the user goes on: "Ask Bob to delete b.txt, then delete c.txt"; without a comma
    # "and then" goes on with what they are asked, as "and" does, unless the user says it is theirs: "Have the team
    # review a.txt and then delete b.txt" is the team's delete, "... and then delete c.txt yourself" the user's)
    # an act another does: "Bob will delete b.txt", "Let Bob delete b.txt"
    r"|(?:\s+to|(?(modal)|(?(bare)|(?!))))\s+(?P<infinitive>.*?)(?=[.!?](?:\s|$)|;|\n|,\s*so\s|$"
    r"|(?(asked)(?:,\s*(?:and\s+)?then\s|,\s*and\s|\s+and\s+then\s+(?=(?:(?![.!?](?:\s|$)|[;\n]).)*?\byourself\b))|(?!))))",
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
    who = (m.group("who") or m.group("source") or m.group("asked") or m.group("agent")).lower()
    start = m.start("lead")
    told = (m.group("told") or "").lower()
    if told.split()[-1:] not in ([], ["me"], ["us"], ["you"]) or m.group("lead").lower().startswith(("remind", "get")):
        # "I told Bob to delete b.txt": Bob's to do; "Remind me to delete b.txt": a reminder, not the act; "Get me to
        # delete b.txt": the user is to do it, got to by the assistant (coaxed, reminded, walked through), which may
        # mean "do it for me" or not: a careful assistant asks rather than deletes
        return True
    awaited = m.group("lead").lower().endswith("s") and _AWAITED.search(text, 0, start)
    return who not in _THE_USER and not _ADOPTED.search(text, 0, start) and not awaited


# Letters of other scripts written as Latin ones, which NFKC keeps apart: "Bob \u0455aid: delete b.txt" (a Cyrillic
# dze) read as no one saying, and the delete was done (attack322). Lower case is enough: the patterns ignore case.
_LATIN_ALIKE = str.maketrans(
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0455\u0456\u0458\u0501\u04cf\u0261\u03bf\u03b1\u03b5\u03c1\u03c4\u03bd"
    "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425\u0405\u0406\u0408",
    "aeopcyxsijdlgoaeptvabekmhopctxsij",
)


def _folded(text: str) -> str:
    """``text`` with its words spaced once and look-alike letters as the Latin ones they pass for."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_LATIN_ALIKE).split())


def _where(said: str, text: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(said), text, re.IGNORECASE)] if said else []


def _its_own(said: str, text: str, clauses: Sequence[str], nth: int) -> list[int]:
    """Where in ``text`` the step saying ``said`` is said: not within another step's longer clause ("So delete
    b.txt" is that step's), and, where the same words are several steps' ("My boss said: delete b.txt. Then delete
    b.txt."), the ``nth`` place they are said."""
    found = _where(said, text)
    others = {c for c in clauses if said in c and c != said}
    taken = [(at, at + len(c)) for c in others for at in _where(c, text)]
    own = [at for at in found if not any(start <= at and at + len(said) <= end for start, end in taken)] or found
    same = list(clauses).count(said)
    return [own[nth]] if same > 1 and len(own) == same and nth < same else own


def reported_by(action: str, task: str, clauses: Sequence[str] = (), nth: int = 0) -> str | None:
    """The words reporting the speech (``"My boss said"``) when the clause ``action`` is only within speech the
    request reports; None when the user asks it (it is also said outside any, or none is reported). A clause not
    found in the request as written (the analysis said it in other words) is taken as reported when speech is.
    ``clauses`` are every step's clause, ``action`` the ``nth`` of those saying the same: each is judged where it
    is said ("My boss said: delete b.txt. So delete b.txt." asks the second only)."""
    text = _folded(task)
    # From the words reporting the speech to its end: a clause the analysis did not cut at the colon ("Bob wrote\ua789
    # delete b.txt", its colon unknown there) is the report whole; one running past the speech says more, the user's.
    spans = [
        (m.start("lead"), m.end(), m.group("lead")) for m in _REPORTING.finditer(text) if _said_by_another(m, text)
    ]
    said = _folded(action)
    if not spans:
        return _said_in_the_passive(said, text)
    found = _its_own(said, text, [_folded(c) for c in clauses], nth)
    within = [next((lead for start, end, lead in spans if start <= at and at + len(said) <= end), None) for at in found]
    if None in within:
        return None
    return next((lead for lead in within if lead), spans[0][2])


def _said_in_the_passive(said: str, text: str) -> str | None:
    """The words ordering another to act when the analysis said the clause so from the passive ("Have b.txt deleted
    by Bob": "have Bob delete b.txt", `analysis.causative`), not as the request writes it; None otherwise."""
    if _where(said, text):
        return None
    said = _as_written(said, text)
    found = _REPORTING.match(said)
    if found is None or act_of_another(said) is None:
        return None
    return found.group("lead")


def _as_written(said: str, text: str) -> str:
    """A step's words, which may be lower-cased ("have bob delete b.txt"), with each word as the request ``text``
    writes it: a name is known by its capital."""
    written = {w.lower(): w for w in re.findall(r"[\w'\u2019]+", text)}
    return re.sub(r"[\w'\u2019]+", lambda w: written.get(w.group(0).lower(), w.group(0)), said)


def act_of_another(clause: str) -> str | None:
    """The verb of the act ``clause`` opens with when another person is to do it or is got to do it ("My colleague
    needs to delete @p0", "Have the team remove @p0", "Get me to delete @p0": "delete", "remove"); None for any
    other clause."""
    found = _REPORTING.match(_folded(clause))
    if found is None or not (found.group("asked") or found.group("agent")) or not _said_by_another(found, clause):
        return None
    act = (found.group("infinitive") or "").split()
    return act[0].lower() if act else None


def ordered_of_another(clause: str, task: str) -> bool:
    """Whether ``clause`` orders or asks another person to act ("Ask Bob to fetch @u0", "Have the team review @p0"),
    whatever the act: the user ("Let me know what @p0 says") or a thing ("Suggest some changes") is no other. One
    said of another ("Bob will post to @u0", lower-cased as a step's words are) is theirs as much."""
    clause = _as_written(clause, _folded(task))
    found = _REPORTING.match(_folded(clause))
    if act_of_another(clause) is None or found is None:
        return False
    who = found.group("asked") or found.group("agent") or ""
    # the step's words may be lower-cased ("ask bob to fetch @u0"): a name is as the request writes it
    named = re.search(rf"\b{re.escape(who)}\b", _folded(task), re.IGNORECASE)
    written = named.group(0) if named else who
    return _A_PERSON.fullmatch(written) is not None


# Who is got to act, a person other than the user: "suggest some alterations" asks the assistant for them
_A_PERSON = lazy_compile(
    r"(?:" + _ANOTHER + r"|him|her|them|everyone|everybody)(?:\s+(?:" + _NAMED_OR_SAID + r"))?", re.IGNORECASE
)


def a_person(words: str) -> bool:
    """Whether ``words`` (as the request writes them) name a person other than the user: "Bob", "my colleague",
    "them"; not "cron", "the script"."""
    return _A_PERSON.fullmatch(words) is not None
