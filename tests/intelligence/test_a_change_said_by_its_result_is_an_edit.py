"""A change of the user's own picture said only by the result it is to have ("make photo.jpg brighter", "make it look
like ...", "turn photo.jpg into a cityscape at sunset") found no tool: none says "make", "look" or "sunset", and the
plan was empty. It is an edit, by the tool that says it changes pictures; a result of another kind or format ("into a
video", "into a png") is no edit."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import tools_chosen


@pytest.mark.parametrize(
    "task",
    [
        "Make photo.jpg brighter.",
        "Make photo.jpg look like it was taken at sunset.",
        "Could you make photo.jpg look more vintage?",
        "Turn photo.jpg into a cityscape at sunset.",
        "Please turn the photo photo.jpg into a watercolour of a harbour.",
        # how much of the state, or two states (attack421: no tool was found)
        "Make photo.jpg a bit brighter.",
        "Make photo.jpg much darker.",
        "Make photo.jpg black and white.",
        "Make photo.jpg brighter and sharper.",
        "Turn photo.jpg to black and white.",
        "Get photo.jpg to look older.",
    ],
)
def test_a_picture_made_over_is_edited(task: str) -> None:
    assert tools_chosen(task) == ["edit_image"]


@pytest.mark.parametrize("task", ["Turn photo.jpg into a video.", "Turn photo.jpg into a png."])
def test_a_result_of_another_kind_or_format_is_no_edit(task: str) -> None:
    assert "edit_image" not in tools_chosen(task)
