"""Values a clause says that its step had no reading for (fix106): each is read, or what it changes is asked for
with why, never dropped in silence.

- A timeout said for a command ("run 'sleep 100' with a 200 s timeout") is the call's ``timeout_s``: the command
  was asked for as past the shell's default of 60 s, and a command that did end was still killed at 60 s.
- A count of repeats ("run 'sleep 10' 3 times", "wait 10 seconds 5 times") ran the step once, the count dropped.
  A step is one call, and calls of one step run at once, not one after another: the command or the wait is asked
  for, with why. So is an input of any other tool's call ("roll 5 dice 3 times" rolled once, only noted).
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
# Any number before "times", whole or not: "run 'ls' 3.5 times", "-3 times", "1,000 times" ran once in silence
_REPEATS = re.compile(
    rf"(?<![\w@.,\-+])(?:([-+]?\d+(?:[.,]\d+)*|{'|'.join(w for w in NUMBER_WORDS if ' ' not in w)})\s+(?:more\s+)?times\b"
    r"|\b(twice|thrice)\b)",
    re.IGNORECASE,
)


def said_values(step: TaskStep, clause: str, extracted: Extracted) -> list[str]:
    """Read into ``step`` the timeout its ``clause`` (placeholders in) gives its command; for a count of repeats,
    ask for what it repeats. The notes saying why."""
    runs = any(d.kind == "command" for d in step.data)
    notes = _timeout(step, clause, extracted, runs)
    repeat = _REPEATS.search(clause)
    if repeat is None:
        return notes
    if runs or step.candidates[:1] == ["shell"]:  # "run echo 'hi' 3 times": its quote no command read, still run
        step.data = [d for d in step.data if d.kind != "command"]
        why = (
            "a step runs its command once (calls of one step run at once, not one after another), so the command "
            "is asked for; say a command that repeats, or each run as a step"
        )
    elif step.candidates[:1] == ["sleep"] and step.params.pop("seconds", None) is not None:
        why = "a wait is one call, so how long to wait in all is asked for"
    else:  # "roll 5 dice 3 times" rolled once: the binding asks for an input of the call (`binding._bind`)
        step.repeated = repeat.group(0)
        why = "a call does it once, so what it is given is asked for; say each time as a step of its own"
    return [*notes, f"step {step.id!r} ({step.action[:80]!r}) says {repeat.group(0)!r}: {why}"]


def _timeout(step: TaskStep, clause: str, extracted: Extracted, runs: bool) -> list[str]:
    """The call's ``timeout_s`` from the one timeout ``clause`` says, for a command or an HTTP request. Two
    different ones ("a 10 s timeout, kill it after 40 seconds"; the first was taken in silence), one of no time
    ("a timeout of 0 seconds": planning failed on the shell's schema), or one said for a tool that takes none
    ("fetch it with a 200 s timeout" ran with http_request's 30 s; "wait 10 s with a 5 s timeout") are not
    applied: the command is asked for, or a note says why."""
    said = [extracted.items[int(t.group(1) or t.group(2))] for t in _TIMEOUT.finditer(clause)]
    if not said:
        return []
    taken = {id(item) for item in said}
    step.data = [d for d in step.data if id(d) not in taken]
    seconds = sorted({float(item.value) for item in said})
    where = f"step {step.id!r} ({step.action[:80]!r})"
    tool = step.candidates[0] if step.candidates else None
    if not runs and tool not in _TAKE_A_TIMEOUT:
        return [f"{where} says a timeout, {seconds[0]:,g} s: its tool ({tool or 'none'}) takes none; not applied"]
    if len(seconds) > 1 or seconds[0] <= 0:
        said_as = " and ".join(f"{value:,g} s" for value in seconds)
        why = "two timeouts" if len(seconds) > 1 else "a timeout that ends the call before it starts"
        if not runs:
            return [f"{where} says {why} ({said_as}): none is applied; the tool's own holds"]
        step.data = [d for d in step.data if d.kind != "command"]
        return [f"{where} says {why} ({said_as}): the command is asked for; say one timeout of some time"]
    step.params["timeout_s"] = min(seconds[0], float(MAX_TOOL_TIMEOUT_S))
    if seconds[0] > MAX_TOOL_TIMEOUT_S:
        return [
            f"step {step.id!r}: the timeout said, {seconds[0]:,g} s, is past the worker's longest tool call: "
            f"{MAX_TOOL_TIMEOUT_S:,} s"
        ]
    return []


_TAKE_A_TIMEOUT = frozenset({"shell", "http_request"})  # tools whose call takes a timeout_s of the request's
