"""Data a request names that no step works on nor any note speaks of: the work said with it vanished, silently.
"Write 'x' to a.txt and then 'y' to b.txt" wrote a.txt alone; "Summarize a.txt, never mind the typos, and delete b.txt"
summarized a.txt and said nothing of the delete (attack273). What the planner read of no use is said, never dropped:
the user may say it again."""

from __future__ import annotations

from orchestra.analysis.data import Extracted
from orchestra.analysis.models import TaskStep

_SHOWN = 3  # of the things left, how many a note names
_LONGEST = 60  # characters shown of each: a quote may be a page long
_KINDS = frozenset({"path", "url", "text", "query", "command", "json"})


def unheard(extracted: Extracted, steps: list[TaskStep], notes: list[str], kept_out: set[int]) -> list[str]:
    """A note naming the data of ``extracted`` (as written) that no step of ``steps`` says nor holds, no note of
    ``notes`` names, and that is not ``kept_out`` (by ``id``: sent, refused, read inside a quote)."""
    said = " ".join([*(s.action for s in steps), *(s.condition for s in steps), *notes])
    held = {id(d) for s in steps for d in s.data}
    left = [
        whole
        for d, written, whole in zip(extracted.items, extracted.written, extracted.whole, strict=True)
        if d.kind in _KINDS and id(d) not in held and id(d) not in kept_out and written not in said
    ]
    left = [w if len(w) <= _LONGEST else w[: _LONGEST - 3] + "..." for w in dict.fromkeys(left)]
    if not left:
        return []
    shown = ", ".join(left[:_SHOWN]) + (f" and {len(left) - _SHOWN} more" if len(left) > _SHOWN else "")
    one = len(left) == 1
    return [
        f"{shown} {'is' if one else 'are'} named but no step works on {'it' if one else 'them'}: work said with "
        f"{'it' if one else 'them'} may be left undone; if so, say it again plainly"
    ]
