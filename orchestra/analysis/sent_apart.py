"""Where a send naming nothing before its URL is not "post it": the step before's result is no body it was said to
carry (attack374). Words after the URL say what goes ("post to URL the word done", "... saying the job finished",
"...: all good", "... as a query parameter"), the URL carries its own message ("send to https://x/hook?msg=hello"), or
the clause is opened as apart from the work before ("Separately, post to URL", "; unrelated: post", "at the same
time", "also"). The body is then what was said, or asked (`binding._sent`), never the summary the user did not name."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from orchestra.analysis.data import PLACEHOLDER, Extracted
from orchestra.analysis.words import words
from orchestra.lazy_regex import lazy_compile
from orchestra.planning.reported import a_person

# Words after the URL that say nothing of what is sent: order, politeness, "it" pointing back at the result
_SAYS_NOTHING_SENT = frozenset(
    """too also as well please now then afterwards after that next finally again right away immediately for me when
    once done finished you are re is it them this the result results output""".split()
)
# Words after the URL saying the call is empty ("post to URL nothing", "without a body"): no body, none asked
_NOTHING = frozenset({"nothing", "empty", "without", "no"})
# A method said after the URL ("with PUT", "using a PUT request", "via POST"): which call, not what it carries
METHOD_AFTER = lazy_compile(
    r"\b(?i:with|using|via|as|by)\s+(?:(?i:an?)\s+)?"
    r"(?:(GET|POST|PUT|PATCH|DELETE|HEAD)(?:\s+(?i:request|call|method))?\b|(?i:(get|post|put|patch|delete|head))\s+(?i:request|call|method)\b)"
)
# A lead-in saying the send is apart from the work before it: "Separately, post to URL", "and, at the same time, post"
_APART = lazy_compile(
    r"\b(?:separately|unrelated|independently|also|meanwhile|additionally|besides|simultaneously|in parallel"
    r"|at the same time|on the side|apart from that|in addition|another thing|as well)\b",
    re.IGNORECASE,
)
_LEAD_CHARS = 60  # how far back a lead-in is looked for: a few words, the sentence's opening at most


def sent_apart(extracted: Extracted, clause: str, url: str, before: str) -> bool:
    """Whether a send naming nothing before its URL (``clause``, its data as placeholders) is no "post it" of the
    step before's result (``before``, its action as the user wrote it): words after the URL say what goes, the URL
    carries its message, it is opened as apart, or the step before is no work said just before it."""
    at = PLACEHOLDER.search(clause)
    after = clause[at.end() :] if at else ""
    return (
        said_after_the_url(after)
        or carries_its_message(url)
        or opened_apart(extracted.text, clause)
        or not said_just_before(extracted.show(extracted.text), before, extracted.show(clause))
        or done_by_another(before)
    )


def said_after_the_url(after: str) -> bool:
    """Whether the words after a send's URL say what it sends ("the word done", "saying it finished", "with my
    name", "as a query parameter"), rather than when, how politely or by which method."""
    said = words(METHOD_AFTER.sub(" ", after))
    return bool(said) and not set(said) & _NOTHING and any(w not in _SAYS_NOTHING_SENT for w in said)


def carries_its_message(url: str) -> bool:
    """Whether a URL holds what it sends in its query ("https://x/hook?msg=hello"): no body is said beside it."""
    return "=" in urlsplit(url).query


def said_just_before(text: str, before: str, clause: str) -> bool:
    """Whether ``before`` (the step before's words) is said in ``text`` just before ``clause``, joined to it by words
    of order alone: "Read config.yaml. deploy.sh is broken. Post to URL" says something else between them, and "Post
    to URL. But first read config.yaml" says the read after it; neither says to post what was read."""
    send = _found(text, clause)
    if send is None:
        return False
    work = [m for m in re.finditer(_spaced(before), text[: send.start()])]
    if not work:
        return False
    between = words(text[work[-1].end() : send.start()])
    return all(w in _JOINING for w in between)


def done_by_another(before: str) -> bool:
    """Whether the step before is another's past act ("Bob summarized notes.txt"): no result of ours to send."""
    said = before.split()
    return len(said) > 1 and said[0][:1].isupper() and a_person(said[0]) and _A_PAST.fullmatch(said[1]) is not None


# Words joining a send to the work said just before it: "Summarize a.txt, and then post to URL", "Read it. Next, post"
_JOINING = frozenset("and then after that afterwards next finally now so please once done".split())
_A_PAST = lazy_compile(r"(?i:\w+ed|wrote|sent|made|took|ran|did|gave|got|read|found|built|drew|sang|said|told|put)")


def _spaced(text: str) -> str:
    """A pattern of ``text``'s words, whatever spaces stand between them."""
    return r"\s+".join(map(re.escape, text.split()))


def _found(text: str, clause: str) -> re.Match[str] | None:
    return re.search(_spaced(clause), text)


def opened_apart(text: str, clause: str) -> bool:
    """Whether ``clause`` is opened in ``text`` (the request) as apart from the work before it: "Separately,",
    "; unrelated:", "and, at the same time,", "Also,"."""
    # the request's data stand apart from its words ("post to  @u0 "), the clause's do not
    found = _found(text, clause)
    if found is None:
        return False
    lead = re.split(r"[.?!;]", text[max(0, found.start() - _LEAD_CHARS) : found.start()])[-1]
    return _APART.search(lead) is not None
