"""Verbs only a tool saying them does: a thing handed to a person ("Message Bob the summary"), words put in others'
place ("Replace the word cat with dog in notes.txt"), a search of the web ("Search the web for /r/python"). A tool
found by a noun or by meaning (a summariser, a translator, a file lister saying "search") did nothing asked and said
nothing of it (issue 8): where the tool's own words (``goals.does``) do not say the verb, it is no option, in the
analysis and in selection alike; with none the step is missing, with why."""

from __future__ import annotations

import re
from collections.abc import Callable

from orchestra.analysis.moved import MOVING_TERMS, move_said
from orchestra.analysis.searched_for import searches_the_web, web_search_said
from orchestra.analysis.substituted import CHANGING_TERMS, substitution_said
from orchestra.analysis.to_a_person import SENDING_TERMS, sent_to_a_person
from orchestra.analysis.words import terms
from orchestra.lazy_regex import lazy_compile

Says = Callable[[frozenset[str]], bool]


def done_only_by(action: str) -> tuple[Says, str] | None:
    """For a clause (its words as written) whose verb only a tool saying it does: whether a tool's words say it, and
    what the step asks, for the reason; None for any other clause."""
    if sent_to_a_person(action):
        return (lambda said: bool(SENDING_TERMS & said)), "a send to a person"
    if _handed_over(action):
        return (lambda said: bool(HANDING_TERMS & said)), "a thing handed over"
    if move_said(action):
        return (lambda said: bool(MOVING_TERMS & said)), "a file moved or renamed"
    if substitution_said(action):
        return (lambda said: bool(CHANGING_TERMS & said)), "words replaced by others"
    if web_search_said(action):
        return searches_the_web, "a search of the web"
    return None


# Verbs of handing a thing over that say where only by a person or a page: with neither ("Read paths.txt, then share
# the document it names") no text tool does it (an entity extractor, found by "names", ran on paths.txt); a sender or
# an uploader does, asked where.
_HANDING_VERBS = frozenset("share send deliver".split())
# what is handed over is a file ("the document it names", "notes.txt"), not an answer: "share the key points with
# me" tells them
_A_FILE = lazy_compile(r"@p\d|\b[\w-]+\.[a-z0-9]{1,5}\b|\b(?:files?|documents?|attachments?)\b", re.IGNORECASE)
HANDING_TERMS = SENDING_TERMS | frozenset(terms("upload publish"))
_A_PAGE = lazy_compile(r"\bhttps?://|@u\d", re.IGNORECASE)


def _handed_over(action: str) -> bool:
    """Whether a clause (its data as written) opens with a verb of handing a file over and names no page it goes to."""
    opening = action.split(maxsplit=1)
    handing = bool(opening) and opening[0].lower() in _HANDING_VERBS
    return handing and _A_FILE.search(action) is not None and _A_PAGE.search(action) is None


def verb_unsaid(said: frozenset[str], action: str) -> str | None:
    """Why a tool whose own words are ``said`` cannot do the clause ``action``; None when it may."""
    only = done_only_by(action)
    if only is None or only[0](said):
        return None
    return f"says nothing of {only[1]}, which the step asks"
