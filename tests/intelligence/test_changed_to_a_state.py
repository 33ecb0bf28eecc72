"""A change said by a verb of changing and the state its object is to have after "to" ("change the colour of the
main object in photo.jpg to blue", "alter the sky to orange") is an edit (plan241): a word of the part changed
("object") chose an object detector, and the edit asked for was not made. A format after "to" is no state: "change
notes.txt to formal" is no edit of a picture. The change said is the editor's instruction, whole (it was asked for)."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, plan_read, tools_chosen


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


@pytest.mark.parametrize(
    ("task", "image", "instruction"),
    [
        (
            "Change the colour of the car in car.jpg to blue.",
            "car.jpg",
            "Change the colour of the car in car.jpg to blue",
        ),
        ("Could you alter the sky in photo.jpg to orange?", "photo.jpg", "alter the sky in photo.jpg to orange"),
    ],
)
async def test_the_change_said_is_the_instruction_given_whole(task: str, image: str, instruction: str) -> None:
    # the instruction was asked for ("${inputs.edit_image_instruction}"), the user having said it
    nodes, _, asked = await plan_read(task, MEDIA)
    assert [(n.tool, n.args) for n in nodes] == [("edit_image", {"image": image, "instruction": instruction})]
    assert not asked
