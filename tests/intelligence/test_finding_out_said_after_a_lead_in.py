"""plan304: the finding-out check read only a sub-goal's first verb, so "help me understand the depth of the objects in
photo.jpg" and "I'd like to know the colour of the car in photo.jpg" went to an editor that changes the picture (on
planning-dev, "Give me a good understanding of the image photo.jpg" went to Image-to-Image). Finding out said by a noun
("an understanding", "an explanation") after a verb that only hands something over, or by a verb of knowing before the
first verb of work, is finding out: nothing edits the picture, and with no tool for it the step is asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import tools_chosen

STUDIO = Path(__file__).with_name("studio_tools.yaml")
VISION = Path(__file__).with_name("vision_tools.yaml")


@pytest.mark.parametrize(
    "task",
    [
        "Help me understand the depth of the objects in photo.jpg",
        "I'd like to know the colour of the car in photo.jpg",
        "I want to know what the objects in photo.jpg are",
        "Give me an understanding of the colour of the car in photo.jpg",
    ],
)
def test_a_finding_out_after_a_lead_in_is_no_edit(task: str) -> None:
    assert tools_chosen(task, STUDIO) == ["-"]


@pytest.mark.parametrize(
    ("task", "tools", "chosen"),
    [
        ("Help me change the colour of the car in photo.jpg to blue", STUDIO, ["edit_picture"]),
        ("I'd like to change the colour of the car in photo.jpg to blue", STUDIO, ["edit_picture"]),
        ("Help me understand the depth of the objects in photo.jpg", VISION, ["estimate_depth"]),
    ],
)
def test_a_change_or_a_finding_a_tool_names_is_kept(task: str, tools: Path, chosen: list[str]) -> None:
    assert tools_chosen(task, tools) == chosen
