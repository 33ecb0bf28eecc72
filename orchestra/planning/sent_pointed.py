"""Whether a step with a side effect (a send, a post, an upload, a write a tool describes) takes what the steps
before it made: only when its own words point at it. "Summarize notes.txt, then send a note 'Done' to the team"
sent the unasked summary as the note's title; "Summarize notes.txt and send it to the team", "... then email me the
summary" point back ("it", "the summary") and keep it. An input the send's words leave empty is asked, or left to
its default, never filled with the step before's output.
"""

from __future__ import annotations

import re

from orchestra.analysis.data import FILE_NAME, TOKEN_START
from orchestra.analysis.derived_sent import MADE_BY
from orchestra.analysis.models import TaskStep
from orchestra.analysis.words import words
from orchestra.lazy_regex import lazy_compile
from orchestra.planning.deleted import MADE_WORDS
from orchestra.tool_spec import ToolSpec

_POINTERS = frozenset({"it", "this", "that", "them", "these", "those", "they", "everything", "all", "both", "each"})
# "the summary", "your answer", "those lines": a thing said as known, a step's result unless it is the send's own
# thing ("send the note 'Done'") or whom it goes to ("to the team")
_KNOWN = lazy_compile(r"\b(?:the|your|its|my|our|their|that|those|these)\s+([a-z]+)", re.IGNORECASE)
# a file's name left in the clause once its data went to the step reading it: "b.txt", "~/notes.md"
_A_FILE = lazy_compile(rf"{TOKEN_START}{FILE_NAME}", re.IGNORECASE)
# whom or where it goes, said after its preposition: "to the team", "in the channel", "for my boss"
_TO_WHOM = lazy_compile(
    r"\b(?:to|for|in|on|into|via|cc|bcc|at)\s+(?:the|my|our|your|their|its)\s+[a-z]+", re.IGNORECASE
)


def takes_what_was_made(spec: ToolSpec, step: TaskStep) -> bool:
    """False for a step with a side effect whose words point at nothing made before it: the steps before it feed
    none of its inputs."""
    if not (spec.side_effects or step.side_effects):
        return True
    text = step.action
    for item in step.data:  # a quote's own words point at nothing: 'Do it now'
        if isinstance(item.value, str) and item.value:
            text = text.replace(item.value, " ")
    if any(item.kind == "path" for item in step.data) or _A_FILE.search(text):
        return True  # "Email b.txt to bob@x.com": what it sends is the file it names, read in front of it
    text = _TO_WHOM.sub(" ", text)
    said = set(words(text))
    if said & (_POINTERS | MADE_WORDS | MADE_BY.keys()):
        return True  # "send it", "send me the results", "post a transcript"
    own = set(words(spec.name)) | {w.rstrip("s") for w in words(spec.name)}
    return any(m.group(1).lower() not in own for m in _KNOWN.finditer(text))
