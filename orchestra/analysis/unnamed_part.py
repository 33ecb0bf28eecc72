"""A part taken away of nothing named: "Remove the text", "Delete the first line", "Strip the comments", with no file
named and nothing made before. With the media catalogue a denoiser was found by "remove" and asked for a sound; which
text is not said, and no tool may guess it: the step is asked (its condition) and takes only the kind its words say.
"""

from __future__ import annotations

from orchestra.analysis.changes import part_taken
from orchestra.analysis.models import TaskStep
from orchestra.analysis.words import TYPE_WORDS, words

# How a step taking away what it does not name says so, as its condition: what it is given is asked for.
PART_UNSAID = "what it takes away is of nothing named"


def unnamed_part(steps: list[TaskStep]) -> list[str]:
    """Each step taking a part away, first in its request and naming no data, is asked which it is of, with a note."""
    notes: list[str] = []
    for n, step in enumerate(steps):
        if step.data or step.depends_on or step.condition or not part_taken(step.action):
            continue
        if any(s.data or s.produces for s in steps[:n]):
            continue  # "Caption photo.jpg, then remove the first word": of what a step made
        said = [TYPE_WORDS[w] for w in words(step.action) if w in TYPE_WORDS]
        step.accepts = list(dict.fromkeys(said or ["text"]))  # "remove the text" is no sound to denoise
        step.condition = f"{PART_UNSAID}: which {' or '.join(step.accepts)} is not said"
        notes.append(
            f"step {step.id!r} ({step.action!r}) does not say what it takes away from: nothing is named or made "
            "before it; name it ('remove the first line from a.txt')"
        )
    return notes
