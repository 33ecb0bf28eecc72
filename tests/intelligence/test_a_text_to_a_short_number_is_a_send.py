"""A text to a number said with its "+" ("Text hello to +1555", "Message the summary to +44 20") is a send to a
person, which only a tool saying it sends does: a number of fewer than seven digits was no person, and "text" found a
question answerer by the word of its kind, planned with what it was given asked for. With no sender the step is
missing. Work that names no person keeps its plan."""

from __future__ import annotations

import pytest

from orchestra.analysis.to_a_person import sent_to_a_person
from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize(
    "task",
    [
        "Text hello to +1555",
        "Text hello to +44 20",
        "Text the summary of a.txt to +1555",
        "Message hello to +1555",
        "Send hello to +1555",
        "Text 'running late' to +33 1",
        "Text it to +1555",
        "Text hello to +1 (555)",
        "Share the caption of p.jpg to +1555",
        "Text hello to +49-30",
        "Deliver the transcript of x.wav to +1555",
    ],
)
async def test_a_text_to_a_short_number_is_a_send(task: str) -> None:
    result = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    nodes = result.plan.nodes if result.plan is not None else []
    assert not [n for n in nodes if n.tool in ("answer_question", "translate_text", "sentence_similarity")], nodes
    assert result.missing, nodes


@pytest.mark.parametrize(
    "clause",
    [
        "Text hello to Bob",
        "Text hello to +15551234567",
        "Email the summary",
        "Message Bob the summary",
        "Text hello to 555-123-4567",
    ],
)
def test_a_person_is_still_one(clause: str) -> None:
    assert sent_to_a_person(clause)


@pytest.mark.parametrize(
    "clause",
    [
        "Text 2 + 2",
        "Share the file with the count + 5",
        "Send it to https://x.example/a",
        "Text analysis of a.txt",
        "Message length of 15",
        "Send 5 to the printer",
        "Share the results to 4 decimals",
        "Deliver 10 items",
        "Text c++ to b.txt",
        "Text version 3.2",
    ],
)
def test_no_person_is_said(clause: str) -> None:
    assert not sent_to_a_person(clause)
