"""A part of a file sent: "Post notes.txt's first line to https://x", "Post line 2 of notes.txt to https://x". The
whole file was read and posted: more than asked left the machine. No call here takes a part of a file, so such a
send is asked for, as a change said under a condition is (`planning.binding` asks what it is given), with why.
"""

from __future__ import annotations

import re

from orchestra.analysis.models import TaskStep
from orchestra.analysis.secrets_sent import SENDING
from orchestra.analysis.words import base_verb
from orchestra.lazy_regex import lazy_compile

# "first line", "last 3 lines", "top 10 rows", "first paragraph", "opening sentence", "line 2", "lines 3-5", "the
# second half": a part of what a file holds.
PART = lazy_compile(
    r"\b(?:(?:first|last|top|bottom|opening|closing|final|initial|\d+(?:st|nd|rd|th)|second|third|next|few)"
    r"(?:\s+(?:\d+|few|two|three|four|five|ten))?\s+(?:lines?|paragraphs?|sentences?|words?|bytes?|characters?|chars?"
    r"|rows?|entries|entry|items?|pages?|sections?|half|part|chapters?|records?)"
    r"|(?:lines?|rows?|paragraphs?|pages?)\s+\d+(?:\s*(?:-|to|through)\s*\d+)?)\b",
    re.IGNORECASE,
)


# The condition a send of less than what it reads is held by: what it sends (the step's result it carries) is asked.
SENDS_LESS = "only a part is to be sent"
# ... and one of a thing its words may not mean ("caption photo.jpg and upload it": the caption or the photo)
SENT_UNSAID = "what is sent is not said"


def sends_less_than_read(step: TaskStep) -> bool:
    """Whether ``step`` sends a part of, or a thing made of, what it is given (`part_sent`, `derived_sent`), or what
    its words may not mean (`it_sent`)."""
    return step.condition.startswith((SENDS_LESS, SENT_UNSAID))


def sends_a_part_but(work: str, refused: str) -> bool:
    """Whether ``work`` sends ("post @p0 to @u0") and a piece refused after it names a part of what it sends ("but
    not the first line"): what is sent is all but that part, which no call takes alone."""
    verb = next(iter(work.lower().split()), "")
    return base_verb(verb) in SENDING and PART.search(refused) is not None


def part_sent(steps: list[TaskStep]) -> list[str]:
    """Each step sending what its clause names as a part of a thing ("the first line") is asked, with a note."""
    notes: list[str] = []
    for step in steps:
        if not step.side_effects or not {step.capability, *step.keywords} & SENDING:
            continue
        part = PART.search(step.action)
        if part is None:
            continue
        step.condition = step.condition or f"{SENDS_LESS} ({part.group(0)})"
        notes.append(
            f"step {step.id!r} ({step.action!r}) sends a part ({part.group(0)!r}) that no call takes alone: what it "
            "sends is asked for, never the whole; give the text to send"
        )
    return notes
