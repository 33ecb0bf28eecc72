"""A send whose "it" is one of several results: "Read a.txt and b.txt, then post it to https://x" posted both
files joined, though "it" says one thing and which one is not said. What leaves the machine is the user's to say:
such a send takes nothing from the steps before (it comes after them): what it sends is asked for, with why; "post
them" / "post both" send all, as said.
"""

from __future__ import annotations

import re

from orchestra.analysis.models import TaskStep
from orchestra.analysis.secrets_sent import SENDING
from orchestra.lazy_regex import lazy_compile

SHOWN = 3  # results a note names of those "it" may be
_ONE = lazy_compile(r"\bit\b", re.IGNORECASE)
# Words saying several things are meant: "them", "both", "all of it", "each", "everything".
_SEVERAL = lazy_compile(r"\b(?:them|they|these|those|both|all|each|every\w*|together|combined|joined)\b", re.IGNORECASE)
_ITEMS = ("path", "url", "text", "command")


def one_of_several_sent(steps: list[TaskStep]) -> list[str]:
    """Each step sending the "it" its clause points at, where the step it takes from makes several results, is
    asked, with a note saying which results "it" may be."""
    by_id = {s.id: s for s in steps}
    notes: list[str] = []
    for step in steps:
        if not step.side_effects or not {step.capability, *step.keywords} & SENDING:
            continue
        if not _ONE.search(step.action) or _SEVERAL.search(step.action):
            continue
        sources = [by_id[d] for d in step.depends_on if d in by_id and d not in step.only_after]
        sources = _with_like_work_before(steps, sources)
        results = [r for s in sources for r in _results(s)]
        if len(results) < 2:
            continue
        shown = " or ".join(repr(r) for r in results[:SHOWN]) + (" or another" if len(results) > SHOWN else "")
        # after them, taking nothing from them: what it sends is asked for (given the URL, the joined results went)
        step.only_after = list(dict.fromkeys([*step.only_after, *step.depends_on]))
        step.aggregate = False
        notes.append(
            f"step {step.id!r} ({step.action!r}) sends 'it', one thing, of several results: it may be {shown}; "
            "what it sends is asked for, never all of them joined; say which, or 'them' to send all"
        )
    return notes


def _with_like_work_before(steps: list[TaskStep], sources: list[TaskStep]) -> list[TaskStep]:
    """``sources``, with the like work said just before a lone source and linked to none of it ("Read a.txt, read
    b.txt, then post it": the two reads are a list, as "Read a.txt and b.txt" is; b.txt, the nearest, was posted)."""
    if len(sources) != 1 or not sources[0].candidates:
        return sources
    source = sources[0]
    at = steps.index(source)
    before = steps[at - 1] if at > 0 else None
    if before is None or before.candidates[:1] != source.candidates[:1] or before.id in source.depends_on:
        return sources
    return [before, source]


def _results(step: TaskStep) -> list[str]:
    """What ``step`` makes one result per: its items where it makes a call per item, else its own words."""
    items = [str(d.value) for d in step.data if d.kind in _ITEMS]
    return items if step.fan_out and len(items) > 1 else [step.action]
