"""A question whose file is said first ("In the document scan.jpg, who is the author?", "In photo.jpg, what colour
is the car?") asks of that file as "Who is the author in scan.jpg?" does: cut at its comma, the place was a piece of
no work and the question one of no data, and the request had "no action found". Work said after a place, or a
question naming its file where it asks, keeps its plan."""

from __future__ import annotations

import pytest

from orchestra.analysis.fronted_place import place_said_after
from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize(
    ("task", "first"),
    [
        ("In the document scan.jpg, who is the author?", "caption_image"),
        ("In scan.jpg, who is the author?", "caption_image"),
        ("In photo.jpg, what color is the car?", "caption_image"),
        ("In a.txt, who is the author?", "read_file"),
        ("In the file a.txt, what is the deadline?", "read_file"),
        ("Inside notes.txt, which city is mentioned?", "read_file"),
        ("In report.txt, when does the project end?", "read_file"),
        ("In the scan p.png, whose name is at the top?", "caption_image"),
        ("In my essay.txt, is there a conclusion?", "read_file"),
        ("Within a.txt, how many people are named?", "read_file"),
        ("In a.txt, who is the author", "read_file"),
    ],
)
async def test_a_question_after_its_place_asks_of_it(task: str, first: str) -> None:
    result = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    assert result.plan is not None, result.problems
    tools = [n.tool for n in result.plan.nodes]
    assert tools[0] == first and "answer_question" in tools, result.plan.nodes
    (answer,) = [n for n in result.plan.nodes if n.tool == "answer_question"]
    assert "${" not in str(answer.args["q"]) and str(answer.args["context"]).startswith("${"), answer.args


@pytest.mark.parametrize(
    "sentence",
    [
        "In @p0, replace foo with bar",
        "Who is the author in @p0?",
        "In short, who is the author of @p0?",
        "In @p0 and @p1, who is the author?",
        "Read @p0, who is the author?",
        "In 2020, who won?",
        "In @p0, delete the first line",
        "In the morning, what is due?",
        "In @p0, the author is Bob. Summarize it",
        "Who, in @p0, is the author?",
    ],
)
def test_other_sentences_are_read_as_said(sentence: str) -> None:
    assert place_said_after(sentence) == sentence
