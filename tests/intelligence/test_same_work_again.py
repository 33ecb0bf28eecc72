"""The same work asked again on something new is a step of its own (pass 19 of the offline planner):
"generate a picture of a cat, then generate a picture of a dog" is two pictures, not one. A clause
that goes on with the step before's work in other words, or refers back to it, is still folded into it.
Checked against the media catalogue written for the tests."""

from __future__ import annotations

from tests.intelligence.reading import tools_chosen


def test_the_same_verb_on_something_new_is_a_step_of_its_own():
    # before: the dog was folded into the cat's step, so the user lost a picture they asked for
    assert tools_chosen("Generate a picture of a cat. Then generate a picture of a dog.") == [
        "text_to_image",
        "text_to_image",
    ]
    assert tools_chosen("Summarize 'The meeting moved to Friday', and then summarize 'Lunch is at noon'.") == [
        "summarize_text",
        "summarize_text",
    ]


def test_the_repeat_is_fed_as_the_first_was_not_by_the_picture_before_it():
    # "a dog" does not work on the cat's picture: no image editor fed by it
    assert tools_chosen("Draw a picture of a red car, then draw a picture of a blue boat.") == [
        "text_to_image",
        "text_to_image",
    ]


def test_more_of_the_same_work_is_still_one_step():
    assert tools_chosen("Detect the objects in photo.jpg and label each object.") == ["detect_objects"]
    assert tools_chosen("Detect the objects in photo.jpg and mark them with bounding boxes.") == ["detect_objects"]
    assert tools_chosen("Generate a picture of a cat and then save it as an image file.") == ["text_to_image"]
