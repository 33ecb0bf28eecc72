"""Work that hands a thing to a person: "Message Bob the summary", "Text notes.txt to +15551234567", "DM the caption
to Bob". Only a tool saying it sends does it: "message" found a summariser by "summary", "text" a translator by the
word of its kind, and the plan did something nobody asked while saying nothing of the send (issue 8). Such a step is
missing, and ``unsent`` says no tool sends to a person."""

from __future__ import annotations

import re

from orchestra.analysis.words import terms
from orchestra.lazy_regex import lazy_compile

# Verbs of handing a thing over, as a clause's first word: those that say nothing else ("email the file it names"),
# and those that send only with a person said ("text Bob", "message it to Alice", "send Bob the summary"): "text" and
# "message" are nouns as often, "send" and "share" say a place too ("send it to https://...").
SENT_ALWAYS = frozenset("email e-mail mail dm sms whatsapp forward".split())
SENDING_VERBS = SENT_ALWAYS | frozenset("send message text share deliver tweet".split())
# What a tool's own words say when it sends ("Send an e-mail", "Post a message to a chat", "Dispatch a text to a phone
# number", "Deliver a notification to Slack": attack186, the last two were refused); not "text", every text tool's
# word, nor "post", every HTTP tool's.
SENDING_TERMS = frozenset(
    terms(
        "send sends sent email e-mail mail message messages sms chat notify notification share forward dispatch"
        " deliver dm whatsapp telegram slack tweet"
    )
)

# A phone number: seven digits or more, or any said with its "+" ("+1555" was no one, and "text" found a question
# answerer by the word of its kind)
_PERSON = r"(?:him|her|[A-Z][a-z]+(?![.\w])|\+\d(?:[\d ().-]*\d)?|\d[\d ().-]{6,}\d|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
# "to Bob", "to me", "to +1 555 123 4567", "to bob@example.com", "to my boss": where a thing goes is a person. So is
# "to the number", "to the person": a place a file said, asked (`place_in_a_file`; "text" found a translator)
_TO_SOMEONE = lazy_compile(
    rf"\bto\s+(?:me|us|them|{_PERSON}|(?:my|our|the)\s+(?:boss|team|friends?|colleagues?|mum|mom|dad|wife|husband|manager|client|customer)s?"
    r"|the\s+(?:(?:phone|mobile|cell|e-?mail)\s+)?(?:numbers?|address(?:es)?|persons?|people|recipients?|contacts?))\b"
)
_TO_A_URL = lazy_compile(r"\bto\s+https?://", re.IGNORECASE)
# "Message Bob the summary", "text her 'hi'": the person is the verb's first object.
_SENT_TO = lazy_compile(rf"\s*[A-Za-z-]+\s+{_PERSON}")


def sent_to_a_person(action: str) -> bool:
    """Whether a clause (its data as written) opens with a verb of handing a thing over to a person: one saying
    nothing else, or one saying a person it goes to."""
    opening = action.split(maxsplit=1)
    verb = opening[0].lower() if opening else ""
    if verb not in SENDING_VERBS or (verb == "forward" and _TO_A_URL.search(action) is not None):
        return False  # "forward it to https://x/u": a POST (``goals.SENT_TO_A_URL``), as "send it to" one is
    return verb in SENT_ALWAYS or _TO_SOMEONE.search(action) is not None or _SENT_TO.match(action) is not None
