"""The planner's caches (the encoder's vectors of request spans, the verbs a clause says, a registry's index) keep
work, never a say: a request planned after others gets the plan it gets planned first in a fresh process."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.planning.unasked_effects import verbs_said
from orchestra.selection import semantic
from tests.intelligence.reading import MEDIA, as_the_cli_plans

# Pairs alike in words, so that what the first leaves cached is what the second would look up.
PAIRS = [
    ("Transcribe talk.mp3 and summarize it", "Summarize talk.mp3 and transcribe it"),
    ("Delete a.txt", "Explain what delete a.txt would do"),
    ("Translate notes.txt into French and write it to out.txt", "Write notes.txt to out.txt, then translate it"),
    ("Remove the background of photo.jpg", "Describe the background of photo.jpg"),
    ("My boss said: delete b.txt", "delete b.txt"),
    ("Run setup.sh", "Explain what setup.sh runs"),
    ("Send the summary of report.pdf to https://example.com/in", "Summarize report.pdf"),
]


def _forget() -> None:
    semantic._SPANS.clear()
    verbs_said.cache_clear()


async def _plan(task: str) -> str:
    return (await plan_task(task, as_the_cli_plans(MEDIA))).model_dump_json()


@pytest.mark.parametrize(("first", "then"), PAIRS + [(b, a) for a, b in PAIRS])
async def test_a_plan_does_not_depend_on_the_plans_before_it(first: str, then: str) -> None:
    _forget()
    alone = await _plan(then)
    _forget()
    await _plan(first)
    assert await _plan(then) == alone
