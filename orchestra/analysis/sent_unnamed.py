"""What a sending clause sends when it names nothing: "Summarize notes.txt, then post to https://x/hook" posts the
summary. Read as "post it", the step before's result is the body; before, the POST went out empty, unsaid (in
parallel with the summary where "and" joined them), and "then send to URL" asked for a method."""

from __future__ import annotations

from dataclasses import replace

from orchestra.analysis.data import PLACEHOLDER, Extracted
from orchestra.analysis.goals import Goal
from orchestra.analysis.models import TaskStep
from orchestra.analysis.secrets_sent import SENDING
from orchestra.analysis.sent_apart import METHOD_AFTER, sent_apart
from orchestra.analysis.words import base_verb, words

# Words that may stand between the verb and the URL without naming what is sent ("post to", "then upload to")
_BETWEEN = frozenset({"to", "at", "on", "onto", "into", "over", "via", "off", "up"})
# Words that say the call sends nothing or something else: "post an empty request to", "send nothing to", "ping"
_SENDS_NOTHING = frozenset({"empty", "nothing", "no", "without", "ping", "request", "requests", "get", "head"})


def as_sending_the_result(goal: Goal, before: list[TaskStep], extracted: Extracted) -> Goal:
    """``goal`` read as pointing back ("post it to URL") where its clause sends to the one URL it names, names
    nothing it sends (no file, quote or noun between the verb and the URL, nothing saying the call is empty, nothing
    said after the URL or in its query), is said just after the work before and not as apart from it (`sent_apart`),
    and the step before made a result and changed nothing."""
    if not before or before[-1].side_effects or not before[-1].produces or not _names_nothing_sent(goal):
        return goal
    url = next(str(d.value) for d in goal.sent if d.kind == "url")
    if sent_apart(extracted, goal.clause.text, url, before[-1].action):
        return goal
    return replace(goal, refers_back=True)


def waits_on_a_missing_step(step: TaskStep, goal: Goal, before: list[TaskStep]) -> None:
    """A send naming nothing after a step no tool was found for ("Summarize notes.txt and post to https://x/u", no
    summarizer) comes after it: its result was to be the body, which the plan asks for (`binding._sent`) where the
    POST went out empty, at once, beside the missing step."""
    if not before or before[-1].side_effects or before[-1].candidates or not _names_nothing_sent(goal):
        return
    missing = before[-1].id
    step.depends_on += [missing] if missing not in step.depends_on else []
    step.only_after += [missing] if missing not in step.only_after else []


def _names_nothing_sent(goal: Goal) -> bool:
    """Whether ``goal`` sends to the one URL it names and names nothing it sends: no file, quote or noun between the
    verb and the URL, nothing saying the call is empty."""
    if goal.refers_back or goal.works_on or not goal.sink:
        return False
    urls = [d for d in goal.sent if d.kind == "url"]
    if len(urls) != 1 or len(goal.sent) != 1:
        return False
    unsaid = METHOD_AFTER.sub(" ", goal.clause.text)  # "upload to URL with PUT": a PUT of the result
    said = words(unsaid)
    if not said or base_verb(said[0]) not in SENDING or says_it_sends_nothing(unsaid):
        return False
    text = goal.clause.text  # its data as placeholders: "post to @u0"
    at = PLACEHOLDER.search(text)
    return all(w in _BETWEEN for w in words(text[: at.start()] if at else text)[1:])


def says_it_sends_nothing(text: str) -> bool:
    """Whether a sending clause says its call sends nothing, or something other than a result ("post an empty
    request to", "send nothing to", "ping")."""
    return bool(set(words(text)) & _SENDS_NOTHING)
