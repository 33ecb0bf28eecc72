"""plan211: with the third_party catalogue (no transcriber), "Transcribe talk.wav and email it" read talk.wav as text,
translated its bytes (translate_text, found by "trans") and e-mailed them. A picture, a sound or a film no tool turns
into what a step takes is not read as its text: the step asks for what it takes, or is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import calls_asked_and_said

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"


@pytest.mark.parametrize(
    ("task", "media"),
    [
        ("Transcribe talk.wav and email it", "talk.wav"),
        ("Transcribe talk.wav, then remove the audio", "talk.wav"),
        ("Translate talk.mp3 and post it to https://x.test/u", "talk.mp3"),
        ("Write the caption of photo.jpg to cap.txt", "photo.jpg"),
    ],
)
async def test_a_picture_or_sound_is_never_read_as_text(task: str, media: str) -> None:
    calls, _, _ = await calls_asked_and_said(task, THIRD_PARTY)
    assert ("read_file", {"path": media}) not in calls, calls
    assert not any("${read.output.content}" in args.values() for _, args in calls), calls
