"""A sub-goal with nothing to work on but the request's words (pass 19 of the offline planner): a tool
that takes text can be fed by them, one that takes an image or a recording cannot. "Create an image of
a red car" is the text-to-image tool's, not the image editor's, however alike their words. Checked
against the media catalogue written for the tests."""

from __future__ import annotations

from tests.intelligence.reading import tools_chosen


def test_a_request_with_no_data_goes_to_a_tool_its_words_can_feed():
    # before: the image editor ("Change an image ...") tied with the picture generator on "image", and won
    assert tools_chosen("Create an image of a red car.") == ["text_to_image"]
    assert tools_chosen("Please make an image of a lighthouse at dawn.") == ["text_to_image"]


def test_a_request_with_data_still_goes_to_the_tool_that_takes_it():
    assert tools_chosen("Change photo.jpg so that the car is red.") == ["edit_image"]
    assert tools_chosen("Create an image from photo.jpg with a red car in it.")[-1] == "edit_image"
