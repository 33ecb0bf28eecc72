"""A part of a file written or copied: "Write the first line of a.txt to b.txt", "Copy the last 10 lines of a.txt to
b.txt", "Save the numbers in a.txt to b.txt". The whole of a.txt was read and written to b.txt, more than asked and
without a word. No call here takes the part alone from what a file's reader gives, so what such a write is given is
asked for, with why (`planning.binding` asks what a step said under a condition is given), never the whole.

A write given what a tool made of the file ("summarize a.txt and save it to b.txt"), or the file whole ("copy a.txt to
b.txt", "write the contents of a.txt to b.txt"), writes what it says.
"""

from __future__ import annotations

import re

from orchestra.analysis.models import TaskStep
from orchestra.analysis.part_sent import PART
from orchestra.analysis.secrets_sent import SENDING
from orchestra.analysis.words import base_verb
from orchestra.analysis.write_sources import AS_IT_IS
from orchestra.lazy_regex import lazy_compile

# The condition such a write is held by: what it writes (the reader's whole file) is asked
WRITES_LESS = "only a part is to be written"
# Things a file holds among other things: "the numbers in a.txt", "the e-mail addresses from a.txt"
_HELD_AMONG = lazy_compile(
    r"\b(?P<part>numbers|figures|digits|amounts|prices|dates|e-?mails|e-?mail\s+addresses|addresses|urls|links|names"
    r"|paths|phone\s+numbers|words\s+(?:that|which|with|starting|ending)|lines\s+(?:that|which|with|containing"
    r"|starting|ending|matching))\b[^.;!?]*?\b(?:in|of|from|inside|within)\s",
    re.IGNORECASE,
)


def part_written(steps: list[TaskStep]) -> list[str]:
    """Each write whose clause names a part of the file it is given whole is held: its content is asked, with a note."""
    by_id = {s.id: s for s in steps}
    notes: list[str] = []
    for step in steps:
        verb = base_verb(next(iter(step.action.lower().split()), ""))
        if not step.side_effects or step.condition or verb in SENDING:  # a send's part is `part_sent`'s
            continue
        readers = [by_id[d] for d in step.depends_on if d in by_id and AS_IT_IS in by_id[d].produces]
        part = PART.search(step.action) or _HELD_AMONG.search(step.action)
        if not readers or part is None:
            continue
        said = " ".join((part.groupdict().get("part") or part.group(0)).split())
        step.condition = f"{WRITES_LESS} ({said})"
        files = ", ".join(str(d.value) for r in readers for d in r.data if d.kind == "path")
        notes.append(
            f"step {step.id!r} ({step.action!r}) writes a part ({said!r}) of {files or 'what it reads'}: no registered "
            "tool takes that part of a file, and the whole is not what was said; what it writes is asked for"
        )
    return notes
