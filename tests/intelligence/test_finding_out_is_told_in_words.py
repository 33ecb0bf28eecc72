"""plan289: "interpret an image 'example.jpg' related to the webinar" and "figure out the main theme articulated on the
image" matched no tool's words, and meaning alone put an image editor or transformer first: a picture was changed where
the user asked to learn something. What a verb of finding out finds is told in words, or asked for; a tool whose words
say the finding (a depth estimator for "figure out the depth") still serves it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import tools_chosen

VISION = Path(__file__).with_name("vision_tools.yaml")


@pytest.mark.parametrize(
    ("task", "chosen"),
    [
        ("Help me interpret an image 'photo.jpg' related to the webinar", ["detect_objects"]),
        ("Figure out the main theme of photo.jpg", ["-"]),
        ("Figure out the main theme articulated on the image photo.jpg", ["detect_objects"]),
        ("Interpret the image photo.jpg", ["detect_objects"]),
        ("Explain the image photo.jpg", ["detect_objects"]),
        ("Describe the image photo.jpg", ["caption_image"]),
    ],
)
def test_a_finding_out_changes_no_picture(task: str, chosen: list[str]) -> None:
    assert tools_chosen(task) == chosen


@pytest.mark.parametrize(
    ("task", "chosen"),
    [
        ("Figure out the depth of the objects in photo.jpg", ["estimate_depth"]),
        ("Determine the depth of photo.jpg", ["estimate_depth"]),
        ("Identify the segments of photo.jpg", ["segment_picture"]),
    ],
)
def test_a_finding_a_tool_names_is_its_work(task: str, chosen: list[str]) -> None:
    assert tools_chosen(task, VISION) == chosen
