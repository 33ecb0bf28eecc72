"""Values a clause says that its step had no reading for (fix106): each is read, or what it changes is asked for
with why, never dropped in silence.

- A timeout said for a command ("run 'sleep 100' with a 200 s timeout") is the call's ``timeout_s``: the command
  was asked for as past the shell's default of 60 s, and a command that did end was still killed at 60 s.
- A count of repeats ("run 'sleep 10' 3 times", "wait 10 seconds 5 times") ran the step once, the count dropped.
  A step is one call, and calls of one step run at once, not one after another: the command or the wait is asked
  for, with why. Any other tool's step is done once, and the plan says so.
"""

from __future__ import annotations

import re

from orchestra.analysis.data import Extracted
from orchestra.analysis.models import TaskStep
from orchestra.analysis.words import NUMBER_WORDS
from orchestra.temporal_bounds import MAX_TOOL_TIMEOUT_S

# "with a 200 s timeout", "a 30-second time limit", "timeout of 200 s", "time out after 5 minutes", "kill it after
# 2 minutes": the duration placeholder the words of a timeout stand next to.
_TIMEOUT = re.compile(
    r"@d(\d+)\s*-?\s*(?:timeout|time-out|time\s+limit)\b"
    r"|\b(?:timeout|time-out|time\s+limit|times?\s+out\s+after|time\s+out\s+after|kill(?:ed)?\s+(?:it\s+)?after)"
    r"\s+(?:of\s+)?@d(\d+)",
    re.IGNORECASE,
)
_REPEATS = re.compile(
    rf"(?<![\w@.,\-])(?:(\d+|{'|'.join(w for w in NUMBER_WORDS if ' ' not in w)})\s+(?:more\s+)?times\b"
    r"|\b(twice|thrice)\b)",
    re.IGNORECASE,
)


def said_values(step: TaskStep, clause: str, extracted: Extracted) -> list[str]:
    """Read into ``step`` the timeout its ``clause`` (placeholders in) gives its command; for a count of repeats,
    ask for what it repeats. The notes saying why."""
    notes = []
    runs = any(d.kind == "command" for d in step.data)
    if runs and (timeout := _TIMEOUT.search(clause)) is not None:
        item = extracted.items[int(timeout.group(1) or timeout.group(2))]
        step.params["timeout_s"] = min(float(item.value), float(MAX_TOOL_TIMEOUT_S))
        step.data = [d for d in step.data if d is not item]
        if item.value > MAX_TOOL_TIMEOUT_S:
            notes.append(
                f"step {step.id!r}: the timeout said, {item.value:,g} s, is past the worker's longest tool call: "
                f"{MAX_TOOL_TIMEOUT_S:,} s"
            )
    repeat = _REPEATS.search(clause)
    if repeat is None:
        return notes
    if runs:
        step.data = [d for d in step.data if d.kind != "command"]
        why = (
            "a step runs its command once (calls of one step run at once, not one after another), so the command "
            "is asked for; say a command that repeats, or each run as a step"
        )
    elif step.candidates[:1] == ["sleep"] and step.params.pop("seconds", None) is not None:
        why = "a wait is one call, so how long to wait in all is asked for"
    else:
        why = "the plan does it once; say each time as a step of its own"
    return [*notes, f"step {step.id!r} ({step.action[:80]!r}) says {repeat.group(0)!r}: {why}"]
