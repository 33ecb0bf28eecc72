"""The tool a sub-goal's own words mean, not one named by where its object is, one making what no answer is, or one
found by a word no tool says. With a catalogue written for it
(``lab_tools.yaml``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import tools_chosen

LAB = Path(__file__).with_name("lab_tools.yaml")


@pytest.mark.parametrize(
    "task",
    [
        "Identify the items around the table in photo.jpg.",
        "List the cups near the table in photo.jpg.",
        "Find the objects beside the table in photo.jpg.",
    ],
)
def test_what_places_the_object_names_no_tool(task: str) -> None:
    """ "around the table" says where the items are: the table reader was chosen for them by "table"."""
    assert tools_chosen(task, LAB) == ["object_detector"]


def test_the_object_itself_still_names_its_tool() -> None:
    assert tools_chosen("Classify the table in photo.jpg.", LAB) == ["table_classifier"]


@pytest.mark.parametrize("task", ["What is this sound talk.wav?", "What is the sound in talk.wav?"])
def test_a_question_is_answered_in_words(task: str) -> None:
    """A question asks to be told: a tool making only a sound (found by "sound") tells nothing."""
    assert tools_chosen(task, LAB) == ["sound_labeller"]


@pytest.mark.parametrize("task", ["How far away are the objects in photo.jpg?", "What is the depth of photo.jpg?"])
def test_a_question_naming_a_maker_s_work_keeps_it(task: str) -> None:
    """A depth map is a picture, and the answer to a question on depth."""
    assert tools_chosen(task, LAB) == ["depth_estimator"]


@pytest.mark.parametrize(
    "task", ["What category is photo.jpg?", "Which category is photo.jpg?", "What is the category of photo.jpg?"]
)
def test_a_word_no_tool_says_is_its_plain_word(task: str) -> None:
    """No tool says "category": counted beside "class" as information no tool covers, the question went to the
    picture question answerer."""
    assert tools_chosen(task, LAB) == ["image_classifier"]


@pytest.mark.parametrize(
    "task",
    [
        "I have photo.jpg, which contains a table. Classify it.",
        "I have photo.jpg, which shows a table. Classify it.",
        "I have an image of a table, photo.jpg. Classify it.",
    ],
)
def test_what_a_file_is_said_to_hold_names_its_reader(task: str) -> None:
    """ "x.jpg, which contains a table" says what the picture is as "an image of a table" does."""
    assert tools_chosen(task, LAB) == ["table_classifier"]
