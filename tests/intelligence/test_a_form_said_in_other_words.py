"""plan297: the medium a result is asked in was read only from a few words. "Describe the image photo.jpg in a sound"
and "summarize notes.txt as a drawing" made a caption or a summary and never the sound or the picture asked for; "convert
the detected objects into a verbal description" (a spoken one) went to a translator and a sentence scorer. Any word for
one thing of a medium after "in a"/"as a" at a clause's end says its form, and verbal, oral and vocal say speech."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import tools_chosen


@pytest.mark.parametrize(
    ("task", "chosen"),
    [
        ("Describe the image photo.jpg in a sound", ["caption_image", "read_aloud"]),
        ("Describe the image photo.jpg as a song", ["caption_image", "read_aloud"]),
        ("Summarize notes.txt as a drawing", ["read_file", "summarize_text", "text_to_image"]),
        ("Summarize notes.txt in audio", ["read_file", "summarize_text", "read_aloud"]),
        # where the thing is, not its form
        ("Transcribe the speech in a recording", ["transcribe_audio"]),
    ],
)
def test_a_form_said_by_any_word_of_a_medium_is_made(task: str, chosen: list[str]) -> None:
    assert tools_chosen(task) == chosen


@pytest.mark.parametrize(
    ("task", "chosen"),
    [
        (
            "Detect the objects in photo.jpg, then convert them into a verbal description",
            ["detect_objects", "read_aloud"],
        ),
        (
            "Detect the objects in photo.jpg, then convert them into an oral description",
            ["detect_objects", "read_aloud"],
        ),
        ("Give me a verbal summary of notes.txt", ["read_file", "summarize_text", "read_aloud"]),
    ],
)
def test_words_said_aloud_are_speech(task: str, chosen: list[str]) -> None:
    assert tools_chosen(task) == chosen
