"""A place outside the workspace a step names that the request's data left as words: "List the files in /etc",
"Summarize /etc/passwd", "List the files in ~". The tools keep to the workspace: "List the files in /etc" listed the
workspace itself, unsaid, and "Summarize /etc/passwd" asked for a text without saying why. The place is given to the
step as its data, which the binder asks for with why (`planning.literals.unread_item`), as it does "../x.txt".
"""

from __future__ import annotations

from orchestra.analysis.conditional import CHANGING
from orchestra.analysis.data import ABSOLUTE_PATH, TOKEN_START, outside_the_workspace
from orchestra.analysis.models import DataItem, TaskStep
from orchestra.analysis.searched_for import looked_for
from orchestra.lazy_regex import lazy_compile

# One in a step's words: not inside a URL, a relative path ("a/b"), a fraction or "and/or".
# From a token's start ("%HOME%/x", "${HOME}/x" are others' to read), to its end before a sentence's last dot.
_NAMED = lazy_compile(rf"{TOKEN_START}(?:{ABSOLUTE_PATH.pattern})(?![\w/]|\.\w)")


def outside_paths(steps: list[TaskStep]) -> None:
    """Each such place a step's words name, and its data does not hold, added to that data."""
    for step in steps:
        if any(d.kind == "command" for d in step.data):
            continue  # a command's own words are its own (`planning.binding` asks for places it is not given)
        held = {str(d.value).rstrip("/") for d in step.data}
        words = step.action
        for quote in (str(d.value) for d in step.data if d.kind in ("text", "query") and str(d.value)):
            words = words.replace(quote, " ")  # "Write 'see /etc/hosts' to a.txt": the quote is what is written
        named = list(dict.fromkeys(m.group(0) for m in _NAMED.finditer(words) if m.group(0).rstrip("/") not in held))
        # "Search the web for /r/python": words looked for, no place
        searched = [p for p in named if p in looked_for(step.action)]
        named = [p for p in named if p not in searched]
        step.data += [DataItem(kind="text", value=p) for p in searched]
        step.data += [DataItem(kind="path", value=path) for path in named]
        if len(named) == 1 and "path" in step.accepts and "path" not in step.params:
            step.params["path"] = named[0]  # where a tool with a place of its own ("list_files": ".") would go
        outside = [str(d.value) for d in step.data if d.kind == "path" and outside_the_workspace(d.value)]
        changes = step.side_effects or bool({step.capability, *step.keywords} & CHANGING)  # side effects come later
        if outside and changes and len(outside) < len([d for d in step.data if d.kind == "path"]):
            # "Delete notes.txt from /tmp": the file meant is /tmp's, not the workspace's notes.txt, which was
            # deleted; a change naming a place outside beside files is asked for whole, as one under a condition is
            step.condition = step.condition or f"naming {outside[0]}, a place outside the workspace"
