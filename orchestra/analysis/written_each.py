"""A write sent to several files writes each: "Write 'hi' to a.txt and to b.txt", "save it to a.txt and b.txt".

Only the first was the write's place; the others were left in its data and read as what it writes ("Write 'hi' to
a.txt and b.txt" wrote 'hi' and b.txt's text into a.txt, and never wrote b.txt).
"""

from __future__ import annotations

from orchestra.analysis.data import file_named, same_file
from orchestra.analysis.goals import Goal
from orchestra.analysis.models import TaskStep
from orchestra.analysis.so_far import Names


def written_to_each(step: TaskStep, goal: Goal, names: Names) -> list[TaskStep]:
    """A copy of the sink ``step`` per further file its clause sends to (a file named twice is one), each writing
    the same content there; those files are taken out of ``step``'s data."""
    path = step.params.get("path")
    if not step.side_effects or not isinstance(path, str):
        return []
    own = {id(d) for d in step.data}
    seen, others = {file_named(path)}, list[str]()
    for d in goal.sent:
        if d.kind == "path" and file_named(d.value) not in seen and id(d) in own:
            seen.add(file_named(d.value))
            others.append(d.value)
    if not others:
        return []
    elsewhere = seen - {file_named(path)}
    extra = {id(d) for d in goal.sent if d.kind == "path" and file_named(d.value) in elsewhere}
    step.data = [d for d in step.data if id(d) not in extra]
    copies = []
    names.taken.add(step.id)  # not yet among the steps planned
    for place in others:
        copy_id = names.fresh(step.id)
        names.taken.add(copy_id)
        data = [d for d in step.data if not same_file(d.value, path)]
        copies.append(step.model_copy(update={"id": copy_id, "params": step.params | {"path": place}, "data": data}))
    return copies
