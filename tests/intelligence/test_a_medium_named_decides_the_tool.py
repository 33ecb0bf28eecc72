"""plan214: "Read a.txt and b.txt. Then remove the text" (media) planned denoise_audio, found by "remove": the
medium a clause names decides, and text is no sound; nor does a text tool saying no taking away (a translator)
take a part of it away. Missing, asked; "Remove the noise from the recording" still denoises."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import tools_chosen


@pytest.mark.parametrize(
    ("task", "chosen"),
    [
        ("Read a.txt and b.txt. Then remove the text", ["read_file", "-"]),
        ("Read a.txt. Then remove the words", ["read_file", "-"]),
        ("Read a.txt. Then strip the text", ["read_file", "-"]),
        ("Remove the text", ["-"]),
        ("Remove the noise from the recording", ["denoise_audio"]),
        ("Remove the background from the picture", ["edit_image"]),
        ("Read the text aloud", ["read_aloud"]),
    ],
)
def test_the_medium_named_decides_the_tool(task: str, chosen: list[str]) -> None:
    assert tools_chosen(task) == chosen
