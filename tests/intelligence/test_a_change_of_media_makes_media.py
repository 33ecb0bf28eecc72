"""A change of a picture said by the state it is to have, or by a part taken away, is made by a tool that makes a
picture (plan262): "Modify the objects in photo.jpg to green" went to an object detector, found by "objects", which
makes text; where no tool makes the kind changed the step is missing, never given to a reader of it. A change that
names no medium is of the one medium named or made before it: "Edit photo.jpg ..., then make the background white"
planned an audio denoiser, found by "background"."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import ARCHIVE, MEDIA, as_the_cli_plans, tools_chosen


@pytest.mark.parametrize(
    "task",
    [
        "Modify the objects in photo.jpg to green.",
        "Change the objects in photo.jpg to green.",
        "Make the objects in photo.jpg green.",
        "Recolor the objects in photo.jpg to green.",
        "Could you switch the objects in the picture photo.jpg to red?",
    ],
)
def test_a_change_of_a_picture_is_made_by_a_tool_making_one(task: str) -> None:
    assert tools_chosen(task) == ["edit_image"]


@pytest.mark.parametrize(
    "task",
    [
        "Edit photo.jpg to make the sky red, then make the background white.",
        "Edit photo.jpg to add a hat. Then make the background darker.",
        "Caption photo.jpg, then make the background white.",
    ],
)
def test_a_change_naming_no_medium_is_of_the_picture_there_is(task: str) -> None:
    assert "denoise_audio" not in tools_chosen(task)


def test_a_change_after_a_caption_is_an_edit() -> None:
    assert tools_chosen("Caption photo.jpg, then make the background white.") == ["caption_image", "edit_image"]


def test_a_change_no_tool_makes_is_missing() -> None:
    # the archive catalogue's built-ins and tools make no picture: nothing that reads one does the change
    registry = as_the_cli_plans(ARCHIVE)
    assert tools_chosen("Modify the objects in photo.jpg to green.", registry) == ["-"]


def test_a_look_at_a_picture_is_no_change() -> None:
    assert tools_chosen("Find the objects in photo.jpg.", MEDIA) == ["detect_objects"]
