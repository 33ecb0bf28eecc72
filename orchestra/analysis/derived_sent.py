"""A thing made of a file sent: "Send the summary of notes.txt to https://x", "Post a translation of notes.txt to
https://x". With no step that makes it, the file was read and posted whole: more than asked left the machine. Such a
send is asked, as a part of a file sent is (`part_sent`), with why; when a step makes it, it is sent as said.
"""

from __future__ import annotations

import re
from functools import lru_cache

from orchestra.analysis.models import TaskStep
from orchestra.analysis.part_sent import SENDS_LESS
from orchestra.analysis.secrets_sent import SENDING
from orchestra.lazy_regex import lazy_compile

# What is made of a thing, and a stem any step making it names (in its tool, capability, keywords or action).
MADE_BY = {
    "summary": "summar",
    "summaries": "summar",
    "gist": "summar",
    "abstract": "summar",
    "synopsis": "summar",
    "digest": "summar",
    "tl;dr": "summar",
    "translation": "translat",
    "caption": "caption",
    "transcript": "transcri",
    "transcription": "transcri",
    "word count": "count",
    "line count": "count",
    "outline": "outline",
    "keywords": "keyword",
    "key words": "keyword",
    "key points": "key point",
    "main points": "main point",
    "takeaways": "takeaway",
    "highlights": "highlight",
    "headline": "headline",
    "headlines": "headline",
}
_DERIVED = lazy_compile(
    r"\b(?:the|a|an|its|their)\s+(?:\w+\s+)?(" + "|".join(re.escape(k) for k in MADE_BY) + r")\s+(?:of|for|from)\b",
    re.IGNORECASE,
)

# "send me the summary": a thing made named alone, the word before it pointing at it (not "the translated summary")
_NAMED_ALONE = lazy_compile(
    r"\b(?:the|its|their|this|that|my|your)\s+(" + "|".join(re.escape(k) for k in MADE_BY) + r")\b", re.IGNORECASE
)


@lru_cache(maxsize=16)  # every call of a step fanned out has its action: searched once a step (planning.binding)
def made_thing_named(action: str) -> str | None:
    """The stem of the work making the thing a clause names ("send me the summary": "summar"), or None."""
    named = _NAMED_ALONE.search(action) or _DERIVED.search(action)
    return MADE_BY[named.group(1).lower()] if named is not None else None


# Verbs storing what they are given: "Save the caption of photo.jpg to cap.txt" (third_party) wrote photo.jpg read as
# text into cap.txt, no step making the caption
_STORING = frozenset({"write", "save", "store", "append", "put", "record", "log"})


def _makes(step: TaskStep, stem: str) -> bool:
    # a step put in front says what it was added for, not what it makes: "notes.txt -> read_file (added: email
    # takes report, summary, text)" was read as making the summary, and notes.txt was e-mailed whole
    action = step.action.split(" (added: ")[0]
    said = " ".join([step.capability, *step.keywords, *step.candidates, action]).lower()
    return stem in said


def derived_sent(steps: list[TaskStep]) -> list[str]:
    """Each step sending a thing made of another ("the summary of notes.txt") that no other step makes is asked."""
    notes: list[str] = []
    for step in steps:
        # "Write an outline of notes.txt to out.txt": a write of it holds it as a send does
        if not step.side_effects or not {step.capability, *step.keywords} & (SENDING | _STORING) or step.condition:
            continue
        derived = _DERIVED.search(step.action)
        if derived is None:
            continue
        notes += _where_it_goes_may_be_its_source(step, steps, derived.group(1).lower())
        stem = MADE_BY[derived.group(1).lower()]
        if any(_makes(other, stem) for other in steps if other is not step):
            continue
        step.condition = f"{SENDS_LESS} ({derived.group(0).lower()}, which no step makes)"
        notes.append(
            f"step {step.id!r} ({step.action!r}) sends {derived.group(1).lower()!r} of something, which no tool here "
            "makes: what it sends is asked for, never the whole; give the text to send"
        )
    return notes


def _where_it_goes_may_be_its_source(step: TaskStep, steps: list[TaskStep], made: str) -> list[str]:
    """Where a thing made of an unnamed source is stored is asked when it is the only file the request names:
    "Store the summary of the text in notes.txt" wrote over notes.txt, which may be the text summarized (plan214)."""
    path = step.params.get("path")
    named = {str(d.value) for other in steps for d in other.data if d.kind == "path"}
    if not isinstance(path, str) or named != {path}:
        return []
    del step.params["path"]
    step.data = [d for d in step.data if not (d.kind == "path" and str(d.value) == path)]
    return [
        f"{path!r} (step {step.id!r}: {step.action!r}) is the only file named, and may be what the {made} is of: "
        f"written over it would be lost; where it goes is asked for (name the source: 'the {made} of a.txt')"
    ]
