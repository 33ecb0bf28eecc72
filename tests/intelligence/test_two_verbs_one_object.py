"""Two verbs of work on one object ("summarize and translate notes.txt") are two steps, the first on the object
and the second on its result, where the verbs are two tools' work: read as one sub-goal, one verb's tool was
chosen and the other's work dropped in silence ("Transcribe and translate talk.wav" only transcribed). Two verbs
one tool says ("caption and describe", "identify and label the objects") stay one step. Requests written for
these tests, with the media and archive catalogues."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import ARCHIVE, MEDIA, tools_chosen


@pytest.mark.parametrize(
    ("task", "tools", "chosen"),
    [
        ("Transcribe and translate talk.wav.", MEDIA, ["transcribe_audio", "translate_text"]),
        ("Could you summarize and translate notes.txt?", MEDIA, ["read_file", "summarize_text", "translate_text"]),
        ("Translate and summarize 'bonjour tout le monde'", MEDIA, ["translate_text", "summarize_text"]),
        (
            "Caption and translate photo.jpg",
            MEDIA,
            ["caption_image", "translate_text"],
        ),  # as on main: a captioner in front
        # the second verb's tool takes the user's page, not the first one's text: it is given the page
        ("Read and classify scan.jpg.", ARCHIVE, ["read_page", "classify_page"]),
        ("Segment and restore scan.jpg.", ARCHIVE, ["segment_page", "restore_page"]),
    ],
)
def test_two_tools_work_on_one_object_is_two_steps(task: str, tools: Path, chosen: list[str]) -> None:
    assert tools_chosen(task, tools) == chosen


@pytest.mark.parametrize(
    ("task", "chosen"),
    [
        ("Caption and describe photo.jpg", ["caption_image"]),  # one tool says both
        ("Detect and label the objects in photo.jpg", ["detect_objects"]),
        ("Transcribe or translate talk.wav.", ["transcribe_audio"]),  # a choice, not both
    ],
)
def test_one_tools_work_stays_one_step(task: str, chosen: list[str]) -> None:
    assert tools_chosen(task, MEDIA) == chosen
