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
from orchestra.analysis.writes_said import place_unsaid

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
    if named and (unsaid := place_unsaid(step.action)) is not None:
        # "Write the contents of a.txt to the path in b.txt": a.txt is what is written, where is said as a place no
        # word names, and asked; a.txt is not written over (the note said it would be)
        del step.params["path"]
        return [f"{path!r} (step {step.id!r}: {step.action!r}) is what it writes; where is said {unsaid!r}: asked for"]
    if not named and (_says_over(step.action, path) or file_named(path) not in planned.read_into(step)):
        return []
    del step.params["path"]
    step.data = [d for d in step.data if not goal.sends(d)]  # where it was to go is asked for, not stored
    how = "" if named else f"; to write over it, say so ('overwrite {path} with it')"
    return [
        f"{path!r} (step {step.id!r}: {step.action!r}) is the file what it writes comes from, written over it would "
        f"be lost: where it goes is asked for{how}"
    ]


# What a reader makes of a file as it is (read_file's output type), and the verbs copying a file named
AS_IT_IS = "file_content"
_COPYING = frozenset({"copy", "duplicate", "clone"})


def the_file_copied(step: TaskStep, steps: list[TaskStep], card_takes: list[str]) -> None:
    """A step pointing back at a copy ("Copy notes.txt and delete it", "Read notes.txt, write it to b.txt and delete
    it") works on the file copied, as the words go: it took where the copy went (the write's path), and the copy
    just made was deleted. It still comes after the copy. A write given what was made from the file
    ("summarize it and save it to s.txt") is no copy: "it" there stays what the step made."""
    if "path" not in card_takes or any(d.kind == "path" for d in step.data) or len(step.depends_on) != 1:
        return
    by_id = {s.id: s for s in steps}
    copy = by_id.get(step.depends_on[0])
    if copy is None or not copy.side_effects:
        return
    # a file read as it is ("read notes.txt, write it to b.txt"), or named by a copying verb ("copy notes.txt")
    readers = [by_id[d] for d in copy.depends_on if d in by_id and d not in copy.only_after]
    readers = [r for r in readers if AS_IT_IS in r.produces]
    if base_verb(next(iter(words(copy.action)), "")) in _COPYING:
        readers.append(copy)
    copied = [
        d for r in readers for d in r.data if d.kind == "path" and not same_file(d.value, copy.params.get("path"))
    ]
    if len({file_named(d.value) for d in copied}) != 1:
        return
    step.data = [*step.data, copied[0]]
    step.params = step.params | {"path": copied[0].value}
    step.only_after = list(dict.fromkeys([*step.only_after, copy.id]))
