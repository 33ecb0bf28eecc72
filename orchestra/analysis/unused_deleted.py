"""A file deleted after work on it that no tool does: "Merge a.txt and b.txt into c.txt and delete a.txt", with no
merging tool, deleted a.txt while nothing was made of it (its content never used); so did "Translate a.txt to French
and delete a.txt" with no translator. What the delete was to follow is left undone, and the delete would take the only
copy of what that work needs: its path is asked, as a delete said under a condition is (``TaskStep.condition``), and
a note says why. A delete pointing back ("then delete it") is caught the same, once `pointed` has named its file."""

from __future__ import annotations

from orchestra.analysis.data import file_named
from orchestra.analysis.finish import said_by, says_a_delete
from orchestra.analysis.models import TaskStep
from orchestra.planning.deleted import deletes_the_file


def deleted_unused(steps: list[TaskStep]) -> list[str]:
    """Each step deleting a file that a step before it, which no tool does (no candidates), works on, asked; a note
    per step saying why."""
    undone: dict[str, TaskStep] = {}  # per file named, the first step before that no tool does on it
    notes: list[str] = []
    for step in steps:
        named = [str(d.value) for d in step.data if d.kind == "path"]
        if "path" in step.params and step.params["path"] is not None:
            named.append(str(step.params["path"]))
        if step.candidates and not step.condition and says_a_delete(step):
            gone = [p for p in dict.fromkeys(named) if file_named(p) in undone and deletes_the_file(said_by(step), p)]
            if gone:
                work = undone[file_named(gone[0])].action
                why = f"{gone[0]} is what {work!r} works on, which no tool does: it would go with nothing made of it"
                step.condition = why
                notes.append(
                    f"step {step.id!r} ({step.action!r}) deletes a file asked for, not the one it names: {why}; say the delete again once that work is done"
                )
        if not step.candidates:
            for p in named:
                undone.setdefault(file_named(p), step)
    return notes
