"""A search of the web: done only by a tool that says it searches the web (with the built-ins alone, "Search the web
for python tutorials" listed the workspace's files, list_files saying "search"), and what it looks for is words,
whatever their shape: "Search the web for /r/python" read /r/python as a place outside the workspace, asked for it
and planned a read of it for the search (issue 8)."""

from __future__ import annotations

import re

from orchestra.analysis.words import terms
from orchestra.lazy_regex import lazy_compile

_WEB_SEARCH = lazy_compile(
    r"^\s*(?:search|google|look\s+up|browse)\b(?:.*?\b(?:the\s+)?(?:web|internet|online|google)\b|$)", re.IGNORECASE
)
# "... for /r/python": the token after "for", to the clause's end or the next space.
_LOOKED_FOR = lazy_compile(r"\bfor\s+(\S+)", re.IGNORECASE)
# "Query Bing and return the top results from the internet" says it searches the web in other words (attack186: it
# was refused); a tool querying JSON or a database says nothing of the web.
_SEARCHING = frozenset(terms("search query"))
_ON_THE_WEB = frozenset(terms("web internet online engine google bing duckduckgo"))


def web_search_said(action: str) -> bool:
    """Whether a clause opens by searching the web ("search the web for X", "google X", "look X up online")."""
    return _WEB_SEARCH.match(action) is not None and (
        action.split(maxsplit=1)[0].lower() == "google"
        or re.search(r"\b(?:web|internet|online)\b", action, re.I) is not None
    )


def searches_the_web(said: frozenset[str]) -> bool:
    """Whether a tool's own words (``goals.does``) say it searches the web."""
    return bool(_SEARCHING & said) and bool(_ON_THE_WEB & said)


def looked_for(action: str) -> set[str]:
    """The words a web search looks for, as the user wrote them after "for": no place ("/r/python")."""
    return {m.group(1).rstrip(".,;!?") for m in _LOOKED_FOR.finditer(action)} if web_search_said(action) else set()
