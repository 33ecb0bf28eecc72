"""What the request gave a step that none of the step's calls was given: said, not dropped in silence.

"Translate 'hello' and a.txt" gives one tool input a quoted text and a file; the call takes the text,
and the plan said nothing of a.txt. A JSON value was not looked for: "Summarize notes.txt, then translate
{"a": 1}" translated the summary and dropped the value in silence. Planned or reported: a plan that leaves out something the user named
says so in its warnings.
"""

from __future__ import annotations

from pydantic_core import to_json

from orchestra.analysis.data import (
    a_kind_of_file,
    above_the_workspace,
    disguised_path,
    json_of,
    outside_the_workspace,
    overwritten_files,
)
from orchestra.analysis.models import DataItem, TaskStep
from orchestra.analysis.words import TOLD_INPUTS
from orchestra.nested_strings import strings_within
from orchestra.plan import PlanNode

SHOWN = 80  # characters of a value or a clause a warning repeats: a quote may be 100,000 long
# Inputs the binder asks for whole with its own reason, not as a value the input's type does not read
ASKED_WHOLE = {"cmd": "the command", "body": "the body"}
SEPARATOR = "\0"  # between the texts the calls hold, looked in at once
CHECKED = frozenset({"path", "url", "text", "command"})  # what a user names to be worked on


def left_out(step: TaskStep, calls: list[PlanNode]) -> list[str]:
    """The step's own items of data no call's arguments hold, whole or inside a longer text; a JSON value (or a
    quote that reads as one) held as its value or as its text."""
    given = [d for d in step.data if d.kind in CHECKED and isinstance(d.value, str) and d.value.strip()]
    if any(d.kind == "path" and (disguised_path(d.value) or outside_the_workspace(d.value)) for d in given) or (
        overwritten_files(step.data)
    ):
        given = [d for d in given if d.kind != "command"]  # asked for whole with the path it runs on (binding)
    values = [d for d in step.data if d.kind == "json"]
    if not given and not values:
        return []
    held = set(strings_within(call.args for call in calls))
    # a fanned step's items each are an argument whole; only what is not is looked for inside the texts, all
    # of them joined once: looked for in each text in turn, a step of thousands of items and calls compared
    # every item with every argument
    longer = [s for s in held if len(s) > 1]
    joined = SEPARATOR.join(longer)
    # JSON held as a value, compared by its text: each with each, thousands of values and calls were quadratic
    structured = {_text(v) for call in calls for v in call.args.values() if isinstance(v, dict | list)}
    # a quoted number an integer or number input took as its value ("roll '5' dice": 5)
    numbers = {
        v for call in calls for v in call.args.values() if isinstance(v, int | float) and not isinstance(v, bool)
    }
    # a file named only inside what a tool is told ("edit photo.jpg to look like style.jpg": its instruction) is
    # a name in words to it, never the file: an editor elsewhere sees no style.jpg
    told = [s for s in strings_within(v for c in calls for n, v in c.args.items() if n in TOLD_INPUTS) if len(s) > 1]
    untold = [s for s in longer if s not in told] if told else longer
    joined_untold = SEPARATOR.join(untold) if told else joined
    texts = [
        d.value
        for d in given
        if d.value not in held
        and not (_inside(d.value, joined_untold, untold) if d.kind == "path" else _inside(d.value, joined, longer))
        and not (numbers and _number(d.value) in numbers)
    ]
    texts = [t for t in texts if not structured or _text(json_of(DataItem(kind="text", value=t))) not in structured]
    shown = (_text(d.value) for d in values)
    return texts + [t for t in shown if t not in structured and t not in joined]


def _number(text: str) -> float | None:
    try:
        return float(text) if len(text) <= 40 else None
    except ValueError:
        return None


def _text(value: object) -> str:
    return to_json(value).decode()


def _inside(value: str, joined: str, texts: list[str]) -> bool:
    if SEPARATOR in value:  # it could match across two texts: each is looked in alone
        return any(value in s for s in texts)
    return value in joined


def _cut(text: str) -> str:
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "\u2026"


def warnings_for(
    steps: list[TaskStep],
    calls_of: dict[str, list[PlanNode]],
    unfit_of: dict[str, dict[str, tuple[str, str]]] | None = None,
) -> list[str]:
    """Per step, a warning for each item it left out, saying why where the planner knows (``unfit_of``: per step,
    the values a typed input's type does not read, with the input and what it takes)."""
    out: list[str] = []
    for step in steps:
        left = left_out(step, calls_of.get(step.id, []))
        written = {d.value for d in overwritten_files(step.data)} if left else set()  # once a step, not a value
        unfit = (unfit_of or {}).get(step.id, {})
        out += [
            f"{_cut(value)!r} (step {step.id!r}: {_cut(step.action)!r}) {_why(value, written, unfit)}" for value in left
        ]
    return out


def _why(value: str, written: set[str], unfit: dict[str, tuple[str, str]]) -> str:
    if value in unfit and unfit[value][0] in ASKED_WHOLE:
        # "run tail -f on log.txt": the binder asked for a command it would not run, and says why
        return f"{unfit[value][1]}; {ASKED_WHOLE[unfit[value][0]]} is asked for"
    if value in unfit:
        # "roll '1e400' dice": the count was asked for and the quote "given to no call", as if it had no place
        name, takes = unfit[value]
        return f"is not {takes}, which the input {name!r} takes: it is asked for; say it as {takes}"
    if value in written:
        # "run 'uniq' on a.txt and b.txt": uniq writes its second operand, so b.txt would have been written over
        return (
            "is a file the command would write, not read (an output option or operand): the command is asked for "
            "whole; say what it reads and where it writes"
        )
    if above_the_workspace(value) or (outside_the_workspace(value) and not disguised_path(value)):  # "/etc/passwd"
        return "is outside the workspace, which the tools keep to: what it was for is asked for; give a file in it"
    if a_kind_of_file(value):
        return "names a kind of file, no file: what it was for is asked for; give the file by its name"
    if disguised_path(value):
        # "~/notes.txt" was "given to no call; say where it goes", though it was said where: the run reads it as
        # written, so the input it was for is asked for instead
        return (
            "is a path the run would not read as written (no shell expands '~', '$' or '%'): what it was for is "
            "asked for; give the file by its path in the workspace"
        )
    return "is given to no call; say where it goes"
