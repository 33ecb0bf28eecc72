"""A change said by a verb of changing and the state its object is to have after "to" ("change the colour of the
main object in photo.jpg to blue", "alter the sky to orange") is an edit (plan241): a word of the part changed
("object") chose an object detector, and the edit asked for was not made. A format after "to" is no state: "change
notes.txt to formal" is no edit of a picture."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import tools_chosen


@pytest.mark.parametrize(
    "task",
    [
        "Change the color of the main object in photo.jpg to blue.",
        "Could you change the colour of the objects in photo.jpg to red?",
        "Alter the sky in photo.jpg to orange.",
        "Please modify the sky in the picture photo.jpg to green.",
        "Tweak the walls in photo.jpg to blue.",
        "How about we change the color of the main object in photo.jpg to white?",
    ],
)
def test_a_change_to_a_state_is_an_edit(task: str) -> None:
    assert tools_chosen(task) == ["edit_image"]


def test_a_change_without_a_state_is_no_edit() -> None:
    assert "edit_image" not in tools_chosen("Change the tone of notes.txt to formal.")
