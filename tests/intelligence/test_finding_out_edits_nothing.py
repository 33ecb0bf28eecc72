"""plan297: "Figure out the depth of the objects in photo.jpg" with no depth estimator went to an editor whose
description says "modify a picture ..., such as the colour of an object": "object" found it, and a picture was changed
where the user asked to learn something. A verb of finding out is never served by a tool that changes the media it is
given as an instruction says; with nothing else the step is asked for, and a change said is still an edit."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import tools_chosen

STUDIO = Path(__file__).with_name("studio_tools.yaml")
VISION = Path(__file__).with_name("vision_tools.yaml")


@pytest.mark.parametrize(
    "task",
    [
        "Figure out the depth of the objects in photo.jpg",
        "Determine the colour of the objects in photo.jpg",
        "Identify the objects in photo.jpg",
        "Explain the colour of the car in photo.jpg",
    ],
)
def test_a_finding_out_is_no_edit(task: str) -> None:
    assert tools_chosen(task, STUDIO) == ["-"]


@pytest.mark.parametrize(
    ("task", "tools", "chosen"),
    [
        ("Change the colour of the car in photo.jpg to blue", STUDIO, ["edit_picture"]),
        ("Edit photo.jpg to make the car blue", STUDIO, ["edit_picture"]),
        ("Figure out the depth of the objects in photo.jpg", VISION, ["estimate_depth"]),
    ],
)
def test_a_change_or_a_finding_a_tool_names_is_kept(task: str, tools: Path, chosen: list[str]) -> None:
    assert tools_chosen(task, tools) == chosen
