"""A write over the file its content comes from: one rule, wherever the file was read.

"Save the summary of notes.txt to notes.txt" asked where to write, while "Translate notes.txt and save it to
notes.txt" wrote the translation over the text it was made from, and "Save notes.txt over notes.txt" asked for
the content. Written there, the file the work came from is lost (a later failure has no copy to restore), which
the user says in so many words when meant: "overwrite notes.txt with it", "write the summary over notes.txt".
"""

from __future__ import annotations

import re

from orchestra.analysis.data import file_named, same_file
from orchestra.analysis.goals import Goal
from orchestra.analysis.models import TaskStep
from orchestra.analysis.so_far import Planned
from orchestra.analysis.words import base_verb, words

# Verbs that say the file named is written over: "overwrite notes.txt with it", "replace notes.txt with the summary"
_WRITING_OVER = frozenset({"overwrite", "replace", "update"})


def _says_over(action: str, path: str) -> bool:
    """Whether a clause says it writes over ``path``: its verb, or "over" right before the file."""
    verb = base_verb(next(iter(words(action)), ""))
    return verb in _WRITING_OVER or re.search(rf"\bover\s+(?:the\s+file\s+)?{re.escape(path)}", action) is not None


def written_over_its_source(step: TaskStep, goal: Goal, not_places: set[int], planned: Planned) -> list[str]:
    """Where a sink writes left to be asked, with a note why, when it is the file its content comes from: named
    as what it takes in its own clause ("save the summary of notes.txt to notes.txt", "save notes.txt over
    notes.txt": always, a copy over itself changes nothing), or read by a step it takes from and not said to
    be written over ("translate notes.txt and save it to notes.txt")."""
    path = step.params.get("path")
    if not step.side_effects or not isinstance(path, str):
        return []
    named = any(same_file(d.value, path) and id(d) in not_places for d in step.data)
    if not named and (_says_over(step.action, path) or file_named(path) not in planned.read_into(step)):
        return []
    del step.params["path"]
    step.data = [d for d in step.data if not goal.sends(d)]  # where it was to go is asked for, not stored
    how = "" if named else f"; to write over it, say so ('overwrite {path} with it')"
    return [
        f"{path!r} (step {step.id!r}: {step.action!r}) is the file what it writes comes from, written over it would "
        f"be lost: where it goes is asked for{how}"
    ]
