"""A question whose place is said first ("In the document scan.jpg, who is the author?", "In photo.jpg, what colour
is the car?") asks of that file as "Who is the author in scan.jpg?" does. Cut at its comma, the place was a piece of
no work and the question one of no data: the request had "no action found". The place is said after the question,
where it is read with it."""

from __future__ import annotations

import re

from orchestra.lazy_regex import lazy_compile

# "In @p0, who ...", "In the document @p0, what ...", "Inside the file @p0, is there ...": a file said first, a
# question after the comma
_FRONTED = lazy_compile(
    r"^(?P<place>\s*(?:in|inside|within|on|from)\s+(?:(?:the|this|that|my|your|our)\s+(?:[a-z]+\s+)?)?@p\d+)\s*,\s*"
    r"(?P<question>(?:who|whom|whose|what|which|where|when|why|how|whether|is|are|was|were|does|do|did|can|could"
    r"|has|have)\b[^.;!?]*)\??\s*$",
    re.IGNORECASE,
)


def place_said_after(sentence: str) -> str:
    """``sentence`` with a file said before its question said after it ("who is the author in the document @p0?"),
    or as it is."""
    found = _FRONTED.match(sentence)
    if found is None:
        return sentence
    place = found.group("place").strip()
    return f"{found.group('question')} {place[0].lower()}{place[1:]}?"  # asked, "?" said or not
