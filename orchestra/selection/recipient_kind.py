"""A send's tool fits its recipient: "Send 'hello' to bob@x.com" picked send_sms (third-party catalogue), the
address then given to no call. The kind of recipient said (an e-mail address, a phone number, a #channel) chooses
among the sending tools found: one with an input for that kind, read from its inputs' names and descriptions, never
from tool names."""

from __future__ import annotations

import re

from orchestra.selection.relevance import Ranked
from orchestra.tool_spec import ToolCard

# Each kind of recipient: how a request says one, and how a tool's input says it takes one.
_SAID = {
    "email": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "phone": re.compile(r"(?<![\w.+-])(?:\+\d{7,15}|\(?\d{3}\)?[ -]\d{3}-\d{4}|\d{3}-\d{4})(?![\w-])"),
    "channel": re.compile(r"(?<![\w&#])#[a-z][\w-]*", re.IGNORECASE),
}
_TAKEN = {
    "email": re.compile(r"\be-?mail|\brecipient address", re.IGNORECASE),
    "phone": re.compile(r"\bphone|\bmobile|\be\.164\b", re.IGNORECASE),
    "channel": re.compile(r"\bchannel", re.IGNORECASE),
}


def recipient_kind(action: str) -> str | None:
    """The one kind of recipient a step's words name, else None (none, or several kinds)."""
    kinds = [kind for kind, said in _SAID.items() if said.search(action)]
    return kinds[0] if len(kinds) == 1 else None


def takes_recipient(card: ToolCard | None, kind: str) -> bool:
    """Whether a tool has an input for a recipient of ``kind``, by the input's name or description."""
    return card is not None and any(_TAKEN[kind].search(f"{p.name} {p.description}") for p in card.inputs)


def for_the_recipient(
    action: str, chosen: list[str], ranked: list[Ranked], card_of: dict[str, ToolCard | None]
) -> list[str] | None:
    """The tools to use instead of ``chosen`` when the step names a recipient none of them takes and a tool
    found for the same words does (``ranked``, best first); None to keep ``chosen``."""
    kind = recipient_kind(action)
    if kind is None or not chosen or any(takes_recipient(card_of.get(n), kind) for n in chosen):
        return None
    fitting = [r.tool for r in ranked if r.coverage > 0 and takes_recipient(card_of.get(r.tool), kind)]
    return fitting or None
