"""Who a send goes to, said in the step's words as no datum the analysis takes out: a phone number ("Send 'hello'
to +15550100") or a chat channel ("Post 'hello' to #ops"). The tool that sends was found, and the number or the
channel was asked for though the user had said it; an input for the one is never given the other (a channel to an
SMS tool's phone stays asked)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from orchestra.analysis.models import DataItem
from orchestra.lazy_regex import lazy_compile

# Where it goes, after "to" ("in", "on" for a channel): a number of 7 digits or more, "+" and spaces allowed
_PHONE = lazy_compile(r"\bto\s+(\+?\d[\d ().-]{5,}\d)(?![\w.@/-])")
_CHANNEL = lazy_compile(r"\b(?:to|in|on|into)\s+(?:the\s+)?(?:channel\s+)?(#[A-Za-z0-9][\w.-]*[\w])(?![\w/-])")
_PHONE_INPUT = lazy_compile(r"\b(?:phone|mobile|cell|sms)\b|\bnumber\b", re.IGNORECASE)
_CHANNEL_INPUT = lazy_compile(r"\bchannel\b", re.IGNORECASE)


def recipient_said(name: str, description: str, action: str, data: Sequence[DataItem] = ()) -> str | None:
    """The phone number or channel ``action`` sends to, for the input ``name`` (``description``) that takes it;
    None when the input takes neither or the words say none. The words of what is sent (``data``'s texts, shown
    unquoted in ``action``) say no place: "Send 'reply to 5550100' to Bob" is for Bob."""
    for item in data:
        if item.kind in ("text", "query") and str(item.value):
            action = action.replace(str(item.value), " ")
    said = f"{name.replace('_', ' ')} {description}"
    if _PHONE_INPUT.search(said) and not _CHANNEL_INPUT.search(said):
        found = _PHONE.search(action)
        return " ".join(found.group(1).split()) if found else None
    if _CHANNEL_INPUT.search(said):
        found = _CHANNEL.search(action)
        return found.group(1) if found else None
    return None
