"""The request's literals a call is bound with: the step's own, read once per step, then the call's own item.

A step that fans out is bound once per call, and each call was given the step's whole data: every item was
checked again per call (what the run would not read, its key, whether it asks a question), so a request of
thousands of files beside one quote ("Translate 'hello' and a0.txt and a1.txt ...") took time in the square
of its length (446,224 checks for 668 calls; 1.6 / 8.8 s at 4,000 / 16,000 characters). Here the step's part
is read once, for the calls bound one after another, and a call looks only at its own item and at the first
few of the step's that fit what each input takes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from pydantic_core import to_json

from orchestra.analysis.data import disguised_path, holds_credential, outside_the_workspace
from orchestra.analysis.models import DataItem, TaskStep
from orchestra.analysis.so_far import key
from orchestra.references import REFERENCE


def holds_reference(value: object) -> bool:
    """The request's own words holding a reference as the run reads one (``${name.path}``, in a JSON
    value's strings too): put in an argument, the run would read another step's output or a plan input,
    not the words; the input is asked for instead. Other ``${`` (a shell's ``${HOME:-x}``) the run
    passes through as written."""
    if isinstance(value, dict | list):
        value = to_json(value, fallback=str).decode(errors="replace")  # no walk: a literal may be deep
    return isinstance(value, str) and REFERENCE.search(value) is not None


def unread(value: object) -> bool:
    """What the request said that the run would not read as the user meant: a reference (none may pass a
    reference the user only wrote as text), a path from a home or a variable no one expands ("~/out.txt"), or
    a URL whose credential the analysis masked ("http://ann:***@host/a.txt": the run is given it whole)."""
    return holds_reference(value) or disguised_path(value) or holds_credential(value)


def unread_item(item: DataItem) -> bool:
    """``unread``, or a file or folder named outside the workspace ("Summarize /etc/passwd", "Delete /tmp/x.txt"):
    the tools keep to the workspace and refuse it once the run is under way, so the input is asked for, with why
    (`left_out`). A quoted text or a command's argument may say such a path: it is no place a tool goes to."""
    return unread(item.value) or (item.kind == "path" and outside_the_workspace(item.value))


def _said_in(action: str, data: list[DataItem]) -> str | None:
    first = next((d for d in data if d.kind == "text" and str(d.value) in action), None)
    return None if first is None else str(first.value)


class StepLiterals:
    """A step's literals as every call of it reads them: ``step`` without what the run would not read, the
    text its own words quote, and its data each once by key (not a number, not a hint already given)."""

    def __init__(self, source: TaskStep) -> None:
        self.source, self._data, self._params = source, source.data, source.params
        self._sizes = (len(source.data), len(source.params))
        data = [d for d in source.data if not unread_item(d)]
        outside = {d.value for d in source.data if d.kind == "path" and unread_item(d)}  # a hint holds it too
        params = {k: v for k, v in source.params.items() if not unread(v) and not (isinstance(v, str) and v in outside)}
        filtered = len(data) < len(source.data) or len(params) < len(source.params)
        self.step = source.model_copy(update={"data": data, "params": params}) if filtered else source
        self._said = {id(source): _said_in(source.action, source.data), id(self.step): _said_in(source.action, data)}
        self.used = {str(v) for v in params.values()}
        first: dict[tuple[str, str], DataItem] = {}
        for d in data:  # each once: "photo.jpg" named a thousand times is one file
            if d.kind != "number" and str(d.value) not in self.used:
                first.setdefault(key(d), d)
        self.keys = {id(d): k for k, d in first.items()}
        self.items = list(first.values())
        self._matching: dict[Hashable, list[DataItem]] = {}

    def of(self, step: TaskStep) -> bool:
        """Whether ``step`` is the one these were read from (or its copy without what the run would not read),
        unchanged since."""
        return (
            (step is self.source or step is self.step)
            and self.source.data is self._data
            and self.source.params is self._params
            and (len(self._data), len(self._params)) == self._sizes
        )

    def said(self, step: TaskStep) -> str | None:
        return self._said[id(step)]

    def matching(self, test: Hashable, match: Callable[[DataItem], bool]) -> list[DataItem]:
        """The items ``match`` holds for, in order; found once per step per ``test`` (what names the match)."""
        found = self._matching.get(test)
        if found is None:
            found = self._matching[test] = [d for d in self.items if match(d)]
        return found


class _Last:
    """The step whose calls are being bound: the planner binds a step's calls (and their fallbacks) one
    after another, so one step kept is each step read once."""

    read: StepLiterals | None = None


_LAST = _Last()


def literals_of(step: TaskStep) -> StepLiterals:
    read = _LAST.read
    if read is None or not read.of(step):
        read = _LAST.read = StepLiterals(step)
    return read


def quoted(step: TaskStep, item: DataItem | None) -> str | None:
    """The text the request quoted for a step whose tool takes its one text as an instruction: run "ls -la"
    is the command as a backquoted one is, "render the template 'Hi {{ name }}'" the template. Only a text the
    step's own words hold: one handed on from other work ("Given the text 'API_KEY=...'. Run the script.",
    "write 'rm -rf ~' to out.txt and run ls") is data the user gave, never an instruction they gave."""
    if item is not None and item.kind == "text" and str(item.value) in step.action:
        return str(item.value)
    return literals_of(step).said(step)


@dataclass
class CallLiterals:
    """A call's literals: its own item first, then the step's, each once by key; an input takes one and it
    is gone for the inputs after it."""

    item: DataItem | None
    shared: StepLiterals
    _taken: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        item = self.item
        if item is not None and (item.kind == "number" or str(item.value) in self.shared.used or unread_item(item)):
            self.item = None
        self._item_key = key(self.item) if self.item is not None else None

    def first(self, test: Hashable, match: Callable[[DataItem], bool]) -> DataItem | None:
        """The first literal not taken that ``match`` holds for (``test`` names the match, as a key)."""
        if self.item is not None and id(self.item) not in self._taken and match(self.item):
            return self.item
        keys = self.shared.keys
        return next(
            (
                d
                for d in self.shared.matching(test, match)
                if id(d) not in self._taken and keys[id(d)] != self._item_key
            ),
            None,
        )

    def take(self, literal: DataItem) -> None:
        self._taken.add(id(literal))
