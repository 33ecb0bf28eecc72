"""Which tool serves a sub-goal, and which words ask for none (pass 16, docs/planning.md).

A figure of speech that only says "try it" ("Let's give it a shot!") names no work: it asks for the
rest of the request, and is no step of its own, where it used to get a built-in by meaning (`sleep`)
or a tool by the verb "give" alone.
"""

from __future__ import annotations

import pytest

from orchestra.analysis import analyse_heuristic
from orchestra.analysis.models import TaskAnalysisError
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, tools_chosen


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        ("Summarize the report in notes.txt. Let's give it a try!", ["read_file", "summarize_text"]),
        ("Describe the photo beach.jpg. Let's give it a shot!", ["caption_image"]),
        ("Let's have a go at it: translate 'good night' into Italian.", ["translate_text"]),
        ("Please take a crack at it and translate 'good night' into Italian.", ["translate_text"]),
    ],
)
def test_an_attempt_is_no_step_of_its_own(task: str, expected: list[str]):
    assert tools_chosen(task) == expected


def test_a_thing_asked_for_with_a_generic_verb_stays_missing():
    # "get me a pizza" names a thing no tool makes: reported missing, not dropped as a figure of speech
    assert tools_chosen("Get me a pizza and translate 'good night' into Italian.") == ["-", "translate_text"]


def test_an_attempt_alone_asks_for_nothing():
    with pytest.raises(TaskAnalysisError, match="no action found"):
        analyse_heuristic("Let's give it a shot!", default_registry([MEDIA]))
