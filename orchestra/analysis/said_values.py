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
from orchestra.analysis.words import SPELLED_COUNT
from orchestra.lazy_regex import lazy_compile
from orchestra.temporal_bounds import MAX_TOOL_TIMEOUT_S

# "with a 200 s timeout", "a 30-second time limit", "timeout of 200 s", "time out after 5 minutes", "kill it after
# 2 minutes": the duration placeholder the words of a timeout stand next to.
_TIMEOUT = lazy_compile(
    r"@d(\d+)\s*-?\s*(?:timeout|time-out|time\s+limit)\b"
    r"|\b(?:timeout|time-out|time\s+limit|times?\s+out\s+after|time\s+out\s+after|kill(?:ed)?\s+(?:it\s+)?after)"
    r"\s+(?:of\s+)?@d(\d+)",
    re.IGNORECASE,
)
_COUNT = rf"(?:[-+]?\d+(?:[.,]\d+)*(?:e[-+]?\d+)?|{SPELLED_COUNT})"
# A count said in words: "a couple of times", "several times", "many more times".
_SOME = (
    r"(?:a\s+(?:couple|few|number|bunch|lot|dozen)(?:\s+of)?|several|many|multiple|numerous|countless"
    r"|(?:dozens|hundreds|thousands|lots)\s+of)"
)
# Any count of repeats: "3 times", "3.5 times", "-3 times", "1,000 times", "1e3 times", "a few times", "twice",
# "repeatedly", "every 5 minutes", "hourly", "10x", "3 rounds", "keep rolling", "until I get a six": each ran once, most
# of them in silence (attack122). "again" is no count: it does once more work done before, in a step of its own or
# before the request.
# A day of the week, or a kind of day ("every Monday", "each weekday", "on business days"): a schedule by the calendar.
DAYS_OF_THE_WEEK = (
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|weekday|weekend|work(?:ing)?\s*day|business\s+day|week\s*night)"
)
_REPEATS = lazy_compile(
    rf"(?<![\w@.,\-+])(?:{_COUNT}|{_SOME})\s+(?:more\s+)?(?:times|rounds|repetitions|reps|iterations|occasions)\b"
    r"|\b(?:twice|thrice|repeatedly|over\s+and\s+over"
    r"|periodically|continuously|forever|nonstop|non-stop|hourly|daily|nightly|weekly|monthly|yearly"
    r"|fortnightly|biweekly|bi-weekly|quarterly|annually)\b"
    r"|\bevery\s+(?:other\s+|single\s+)?(?:@d\d+|\d+\s+[a-z]+|second|minute|hour|day|night|morning|evening|week|month"
    r"|year|time|fortnight|quarter)\b"
    # "every Monday", "each weekday", "on Mondays", "Fridays at 5": a weekday's work, done on each one of them
    rf"|\b(?:every|each)\s+(?:other\s+|single\s+)?{DAYS_OF_THE_WEEK}s?\b"
    rf"|(?:\bon\s+|^\s*){DAYS_OF_THE_WEEK}s\b"
    r"|(?<![\w@.,\-+])\d+\s*[x\u00d7](?![\w@])|\b[x\u00d7]\s*\d+\b(?![.,]\d)"
    r"|^\s*(?:repeat|keep(?:\s+on)?(?=\s+[a-z]+ing\b))\b"
    # "roll 5 dice until I get a six", "fetch it until it returns 200": a loop till an event, which no call is
    r"|\b(?:until|till)\s+(?:i|we|you|it|they|there|one|a|an|the)\b(?:\s+\S+){0,4}?\s+"
    r"(?:gets?|got|is|are|was|returns?|works?|succeeds?|comes?|shows?|appears?|hits?|reaches?|matches?|changes?)\b",
    re.IGNORECASE,
)
# Words by which "10x" is a size or a speed, not a count of calls: "upscale it 4x", "a 2x zoom".
_SCALED = lazy_compile(
    r"\b(?:scal|upscal|zoom|magnif|enlarg|resiz|speed|fast|slow|resolution|bigger|larger|smaller)", re.I
)


# "append 'x' to @p0", "add the summary to the end of @p0": what is written goes after what the file holds.
_APPENDING = lazy_compile(r"\bappend(?:s|ed|ing)?\b|\b(?:to|at|onto)\s+the\s+(?:end|bottom|tail)\s+of\b", re.IGNORECASE)


# "again", "once more": one time more than work done before, a step of its own after the same work in the request
# ("Roll them again" after "roll 5 dice" was folded into the roll, one roll in silence), else once now.
_ONE_MORE = lazy_compile(r"\b(?:again|once\s+more|one\s+more\s+time|another\s+time)\b", re.IGNORECASE)


def _repeat(clause: str) -> re.Match[str] | None:
    """The count of repeats ``clause`` says, if any ("upscale a.jpg 4x" says a size)."""
    return next(
        (r for r in _REPEATS.finditer(clause) if "x" not in r.group(0).lower() or not _SCALED.search(clause)), None
    )


def says_a_repeat(clause: str) -> bool:
    """Whether ``clause`` says its work is done again or more than once: no restatement of the step before to fold
    into it."""
    return _repeat(clause) is not None or _ONE_MORE.search(clause) is not None


def said_values(step: TaskStep, clause: str, extracted: Extracted) -> list[str]:
    """Read into ``step`` the timeout its ``clause`` (placeholders in) gives its command, and a write said as an
    append; for a count of repeats, ask for what it repeats. The notes saying why."""
    runs = any(d.kind == "command" for d in step.data)
    notes = _timeout(step, clause, extracted, runs)
    if step.candidates[:1] == ["write_file"] and _APPENDING.search(clause):
        # "Append 'x' to notes.txt" wrote notes.txt over with 'x' (and a failed step after it deleted the file)
        step.params["mode"] = "append"
    repeat = _repeat(clause)
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
