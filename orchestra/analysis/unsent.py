"""Sending to a person, which no built-in tool does: "Send notes.txt to me", "... to bob@example.com", "Share
notes.txt", "Forward it to Bob", "Submit notes.txt". Each was reported as a step no registered tool matches, its
nearest an HTTP request, as if a tool could be made or found for it; the plan now says what no tool can do (there is
no e-mail, chat or sharing tool), and what can be asked instead.
"""

from __future__ import annotations

from orchestra.analysis.models import TaskStep
from orchestra.analysis.recipient_first import TO_A_PERSON
from orchestra.analysis.words import base_verb


def unsent(steps: list[TaskStep]) -> list[str]:
    """A note for each step sending to a person that no tool serves: what it would take, and what to say instead."""
    notes: list[str] = []
    for step in steps:
        verb = base_verb((step.keywords[0] if step.keywords else step.capability).lower())
        if step.candidates or verb not in TO_A_PERSON:
            continue
        notes.append(
            f"step {step.id!r} ({step.action!r}) is not planned: no tool {verb}s to a person (there is no e-mail, "
            "chat or sharing tool); post it to a URL ('post it to https://...') or write it to a file instead"
        )
    return notes
