"""Verbs only a tool saying them does: a thing handed to a person ("Message Bob the summary"), words put in others'
place ("Replace the word cat with dog in notes.txt"), a search of the web ("Search the web for /r/python"). A tool
found by a noun or by meaning (a summariser, a translator, a file lister saying "search") did nothing asked and said
nothing of it (issue 8): where the tool's own words (``goals.does``) do not say the verb, it is no option, in the
analysis and in selection alike; with none the step is missing, with why."""

from __future__ import annotations

from collections.abc import Callable

from orchestra.analysis.searched_for import searches_the_web, web_search_said
from orchestra.analysis.substituted import CHANGING_TERMS, substitution_said
from orchestra.analysis.to_a_person import SENDING_TERMS, sent_to_a_person

Says = Callable[[frozenset[str]], bool]


def done_only_by(action: str) -> tuple[Says, str] | None:
    """For a clause (its words as written) whose verb only a tool saying it does: whether a tool's words say it, and
    what the step asks, for the reason; None for any other clause."""
    if sent_to_a_person(action):
        return (lambda said: bool(SENDING_TERMS & said)), "a send to a person"
    if substitution_said(action):
        return (lambda said: bool(CHANGING_TERMS & said)), "words replaced by others"
    if web_search_said(action):
        return searches_the_web, "a search of the web"
    return None


def verb_unsaid(said: frozenset[str], action: str) -> str | None:
    """Why a tool whose own words are ``said`` cannot do the clause ``action``; None when it may."""
    only = done_only_by(action)
    if only is None or only[0](said):
        return None
    return f"says nothing of {only[1]}, which the step asks"
