"""A question whose subject is a picture ("how many of those objects are red?", "what colour is the car in the
edited image?") is for a tool that takes a picture: asked after steps that made a text of the picture (the
objects found, their summary), it went to the text question answerer, fed that text, which shows no colour.
A question about a text of the user's own stays the text answerer's. Requests written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.registry import ToolRegistry, default_registry
from tests.intelligence.reading import MEDIA, tools_chosen

STUDIO = Path(__file__).with_name("studio_tools.yaml")


def both_catalogues() -> ToolRegistry:
    """The media catalogue (a text question answerer) with the studio's (a tool asked about a picture)."""
    return default_registry([MEDIA, STUDIO])


@pytest.mark.parametrize(
    "task",
    [
        "Identify the objects in photo.jpg, summarize the result, and tell me how many of those objects are red.",
        "Detect the objects in photo.jpg and let me know how many of them are blue.",
        "Detect the objects in room.jpg, translate the labels into French, and tell me what colour the sofa is.",
        "Edit photo.jpg so the car is blue, then answer 'What is the colour of the car in the edited image?'",
        "Caption photo.jpg, summarize the caption, then answer 'What is in the top-left corner of the picture?'",
    ],
)
def test_a_question_about_a_picture_goes_to_a_tool_that_takes_one(task: str) -> None:
    chosen = tools_chosen(task, both_catalogues())
    assert chosen[-1] == "ask_picture", chosen


def test_a_question_about_a_text_stays_the_text_answerers() -> None:
    chosen = tools_chosen("Summarize notes.txt and tell me what colour the car is.", both_catalogues())
    assert chosen[-1] == "answer_question", chosen
