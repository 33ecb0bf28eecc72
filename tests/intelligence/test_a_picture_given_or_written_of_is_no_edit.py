"""attack421: a picture "turned into" or "got to" something was read as an edit whatever followed: "Get photo.jpg to
Bob" (given to someone) and "Turn photo.jpg to the left" planned an image editor, as did "turn photo.jpg into a summary"
(a captioner and a summariser before), "into a list of the objects" (an object detector) and "into a poem"; "Turn
song.mp3 into lyrics" found no tool (a transcriber before). A result of text, said by the work that makes it or by a
form of writing, is that work; a place or a person after "to" is no new look."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import tools_chosen


@pytest.mark.parametrize(
    "task", ["Get photo.jpg to Bob.", "Turn photo.jpg to the left.", "Turn photo.jpg into a poem."]
)
def test_no_edit_is_planned(task: str) -> None:
    assert "edit_image" not in tools_chosen(task)


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        ("Turn photo.jpg into a summary.", ["caption_image", "summarize_text"]),
        ("Turn photo.jpg into a list of the objects.", ["detect_objects"]),
        ("Turn song.mp3 into lyrics.", ["transcribe_audio"]),
    ],
)
def test_the_work_making_the_text_is_planned(task: str, tools: list[str]) -> None:
    assert tools_chosen(task) == tools
