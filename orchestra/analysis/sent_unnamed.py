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
    if goal.refers_back or goal.works_on or not before or not goal.sink:
        return goal
    urls = [d for d in goal.sent if d.kind == "url"]
    last = before[-1]
    if len(urls) != 1 or len(goal.sent) != 1 or last.side_effects or not last.produces:
        return goal
    said = words(METHOD_AFTER.sub(" ", goal.clause.text))  # "upload to URL with PUT": a PUT of the result
    if not said or base_verb(said[0]) not in SENDING or set(said) & _SENDS_NOTHING:
        return goal
    text = goal.clause.text  # its data as placeholders: "post to @u0"
    at = PLACEHOLDER.search(text)
    between = words(text[: at.start()] if at else text)[1:]
    if any(w not in _BETWEEN for w in between):
        return goal
    if sent_apart(extracted, text, str(urls[0].value), last.action):
        return goal
    return replace(goal, refers_back=True)
