"""A step that works on pieces of work the request names one by one takes each of them: "paint a picture of
the translation of 'a' and the translation of 'b'" painted only the first translation (the second was a
clause of its own, or two quotes under one noun, or a file beside a quote, and dropped or left to nobody).
Requests written for these tests, with the media catalogue (text_to_image, translate_text, summarize_text)."""

from __future__ import annotations

import pytest

from orchestra.plan import Plan
from tests.intelligence.reading import output_of, whole_plan


def _painted(plan: Plan) -> list[str]:
    return sorted(str(n.args["text"]) for n in plan.nodes if n.tool == "text_to_image")


def _made_by(plan: Plan, tool: str) -> list[str]:
    return sorted(output_of(n.id, "text") for n in plan.nodes if n.tool == tool)


@pytest.mark.parametrize(
    "request_",
    [
        "Paint a picture of the translation of 'good morning' and the translation of 'good night'",
        "Paint a picture of the translation of 'good morning' and of the translation of 'good night'",
        "Draw an image of the translation of a.txt and the translation of b.txt",
    ],
)
async def test_each_translation_is_painted(request_: str):
    plan = await whole_plan(request_)
    translations = _made_by(plan, "translate_text")
    assert len(translations) == 2
    assert _painted(plan) == translations


@pytest.mark.parametrize(
    "request_",
    [
        "Paint a picture of the translation of 'good morning' and the summary of notes.txt",
        "Paint a picture of the translation of 'good morning' and the summary of my notes.txt",
    ],
)
async def test_a_translation_and_a_summary_are_painted(request_: str):
    plan = await whole_plan(request_)
    made = _made_by(plan, "translate_text") + _made_by(plan, "summarize_text")
    assert len(made) == 2
    assert _painted(plan) == sorted(made)


async def test_a_clause_saying_more_is_no_second_thing_painted():
    plan = await whole_plan("Paint a picture of the translation of 'good morning'. The summary of notes.txt is wrong")
    assert _painted(plan) == _made_by(plan, "translate_text")
