"""Which file a delete means when it points back ("delete it", "delete the file", "delete the other one").

A word pointing back names the one file the nearest clause before it names: "Read a.txt, then delete it" deletes
a.txt, "Write 'hi' to a.txt, then read b.txt and delete it" b.txt (it deleted a.txt, the write's path). Where that
is not one file the plan asks which, never picks: the nearest clause names two ("Read a.txt and b.txt, then delete
it", "Copy a.txt to b.txt, then delete it" deleted a.txt, a move nobody asked for), or none but a file of its own
("Read report.txt, then read the file it names and delete it" deleted report.txt), or one and a word pointing back
("Read a.txt, write it to b.txt and delete it": what the write's "it" is, or b.txt), or is one of a list of the same
work on other files ("Read a.txt, read b.txt, then delete it": as unclear as "Read a.txt and b.txt"). "The other
file" is the one file named besides those ("Read a.txt and then delete the other file" deleted a.txt), and a quote
of words is text, not a file ('Summarize "notes about x.txt" and then delete it' deleted "notes about x.txt").
"Delete it and b.txt" deletes both (only b.txt went).

Asked as a change said under a condition is (``TaskStep.condition``): the delete's path is an input the user gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice

from orchestra.analysis.data import PLACEHOLDER, Extracted, file_named
from orchestra.analysis.goals import Goal
from orchestra.analysis.models import DataItem, TaskStep
from orchestra.planning.deleted import DELETING, object_words

FILES = ("path", "url")
SHOWN = 3  # files a note names of those a word may mean
# Words pointing at one thing the clause does not name; "other" and "another" point away from what was named.
POINTERS = frozenset({"it", "this", "that"})
OTHER = frozenset({"other", "another"})
# A pointing word and a file named, as the things a clause works on ("delete it and b.txt", "it, b.txt"; the
# clause is read with "and" taken out): not one in a sentence of its own ("delete a.txt so that it is gone").
BESIDE_A_NAME = re.compile(r"\b(?:it|this|that)\s*,?\s*(?:(?:and|plus)\s+)?@[a-z]\d+", re.IGNORECASE)
# Nouns a clause names an unnamed file by ("read the file it names"): a file of its own, not one named before.
FILE_NOUNS = frozenset({"file", "files", "document", "one"})


@dataclass
class Said:
    """Per step of a clause (not one the analysis added), the files and pages its clause names, its sentence, and
    whether it speaks of a file it does not name."""

    files: dict[str, list[DataItem]] = field(default_factory=dict)
    sentence: dict[str, int] = field(default_factory=dict)
    unnamed_file: set[str] = field(default_factory=set)
    pointing: set[str] = field(default_factory=set)  # clauses with a word pointing back ("write it to b.txt")
    steps: dict[str, TaskStep] = field(default_factory=dict)
    last: str | None = None  # the newest clause's step
    naming: str | None = None  # the newest clause's step naming a file, or speaking of one it does not name
    before: dict[str, str] = field(default_factory=dict)  # per clause's step, the clause's step before it
    every_file: list[DataItem] | None = None  # the request's files and pages, once asked for

    def add(self, step: TaskStep, goal: Goal, own: list[DataItem], lowered: list[str]) -> None:
        """Kept per clause, so a request of thousands of them costs no more per clause than its own words."""
        self.files[step.id], self.sentence[step.id], self.steps[step.id] = own, goal.clause.sentence, step
        if self.last is not None:
            self.before[step.id] = self.last
        self.last = step.id
        if not own and set(lowered) & FILE_NOUNS:
            self.unnamed_file.add(step.id)
        if POINTERS & set(lowered):
            self.pointing.add(step.id)


def pointed_delete(step: TaskStep, goal: Goal, extracted: Extracted, said: Said) -> list[str]:
    """``step`` (its clause ``goal``'s) deleting the file its words point at, if that is
    clear; asked otherwise (a note says why). ``said`` is kept up to date here: call it for every clause's step."""
    text = goal.clause.text
    own = [d for d in extracted.items_in(text) if d.kind in FILES]
    lowered = object_words(PLACEHOLDER.sub(" ", text))
    previous, nearest = said.last, said.naming
    said.add(step, goal, own, lowered)
    if own or step.id in said.unnamed_file:
        said.naming = step.id
    if goal.plural or not DELETING.search(PLACEHOLDER.sub(" ", text)):
        return []
    other = bool(OTHER & set(lowered))
    # beside a file named, a pointing word is one of the things deleted only so: "delete it and b.txt"
    beside = BESIDE_A_NAME.search(text) is not None
    pointer = beside if own else other or bool((POINTERS | FILE_NOUNS) & set(lowered))
    if not pointer or previous is None:
        return []
    meant, why = _meant(previous, nearest, own, other, extracted, said)
    bound = _bound(step, said, own)
    if meant is not None and (not bound or {file_named(d.value) for d in bound} == {file_named(meant.value)}):
        if not bound:
            _take(step, meant, previous)
        return []
    if meant is not None:
        # the nearest clause's file, not what a link took ("... read b.txt and delete it" deleted the write's a.txt)
        step.data = [d for d in step.data if not any(d is b for b in bound)]
        step.params.pop("path", None)
        step.depends_on = [d for d in step.depends_on if d in step.only_after]
        _take(step, meant, previous)
        return []
    step.data = [d for d in step.data if not any(d is b for b in bound)]
    if step.params.get("path") is not None and not any(same(step.params["path"], d) for d in own):
        del step.params["path"]
    # asked, as a change said under a condition is: its path is the user's to give
    step.condition = step.condition or "which file it deletes is not said"
    # it takes nothing from the steps before: one call after them all, not one per file they worked on
    step.only_after = list(step.depends_on)
    if step.candidates:
        step.accepts = []
    return [f"step {step.id!r} ({step.action!r}) does not say which file it deletes: {why}; name it"]


def _meant(
    previous: str, nearest: str | None, own: list[DataItem], other: bool, extracted: Extracted, said: Said
) -> tuple[DataItem | None, str]:
    """The one file a pointing word means, or None and why it is not clear: ``previous`` is the clause's step before,
    ``nearest`` the newest naming a file (or speaking of one)."""
    by_id = said.steps
    if other:
        named = {file_named(d.value) for d in [*said.files[previous], *own]}
        if said.every_file is None:
            said.every_file = _distinct([d for d in extracted.items if d.kind in FILES])
        rest = list(islice((d for d in said.every_file if file_named(d.value) not in named), SHOWN + 1))
        if len(rest) == 1:
            return rest[0], ""
        return None, "'the other' names no one file besides those named" if not rest else _which(rest)
    if nearest is None:
        return None, "no file is named before it"
    if nearest in said.unnamed_file and not said.files[nearest]:
        return None, f"the step before ({by_id[nearest].action!r}) works on a file it does not name"
    files = _distinct(said.files[nearest])
    before = said.before.get(nearest)
    if len(files) == 1 and before is not None and _a_list(by_id, said, before, nearest, files[0]):
        files = _distinct([*said.files[before], *files])  # "Read a.txt, read b.txt, then delete it"
    if len(files) != 1:
        return None, _which(files)
    if nearest in said.pointing:
        # "Read a.txt, write it to b.txt and delete it": what that clause's "it" is, or the file it names
        return None, f"it may be {files[0].value!r} or what {by_id[nearest].action!r} points at"
    if _quoted_words(files[0]):
        return None, f"{files[0].value!r} is a quote of words, not a file named"
    return files[0], ""


def _a_list(by_id: dict[str, TaskStep], said: Said, before: str, nearest: str, file: DataItem) -> bool:
    """Whether the clause before ``nearest`` did its work on another file, in the same sentence: a list of like
    work, "Read a.txt, read b.txt" as "Read a.txt and b.txt"."""
    first, second = by_id[before], by_id[nearest]
    others = [d for d in said.files[before] if file_named(d.value) != file_named(file.value)]
    same_work = first.candidates[:1] == second.candidates[:1] and bool(first.candidates)
    return same_work and bool(others) and said.sentence[before] == said.sentence[nearest]


def _bound(step: TaskStep, said: Said, own: list[DataItem]) -> list[DataItem]:
    """The files ``step`` was given that its clause does not name: by a link to a step writing a file (bound to
    that step's path by the planner), or as data."""
    given = [d for d in step.data if d.kind in FILES and not any(same(d.value, o) for o in own)]
    by_id = said.steps
    linked = [by_id[d] for d in step.depends_on if d in by_id and d not in step.only_after]
    written = [DataItem(kind="path", value=s.params["path"]) for s in linked if s.side_effects and s.params.get("path")]
    return given or ([] if any(d.kind == "path" for d in step.data) else written)


def _take(step: TaskStep, meant: DataItem, after: str) -> None:
    step.data = [*step.data, meant]
    step.depends_on = list(dict.fromkeys([*step.depends_on, after]))
    step.only_after = list(dict.fromkeys([*step.only_after, after]))
    if meant.kind not in step.accepts:
        step.accepts = [*step.accepts, meant.kind]


def same(value: object, item: DataItem) -> bool:
    return file_named(value) == file_named(item.value)


def _distinct(items: list[DataItem]) -> list[DataItem]:
    return list({file_named(d.value): d for d in items}.values())


def _which(files: list[DataItem]) -> str:
    """The files it may be, the first ``SHOWN``: a note per clause naming thousands would hold them all."""
    more = " or another" if len(files) > SHOWN else ""
    return "it may be " + " or ".join(repr(str(d.value)) for d in files[:SHOWN]) + more


def _quoted_words(item: DataItem) -> bool:
    """Whether ``item`` holds words ('Summarize "notes about x.txt"'): a quote of text that ends like a name."""
    return bool(re.search(r"\s", str(item.value)))
