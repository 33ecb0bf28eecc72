"""plan211: "Write the transcript of talk.mp3 to out.txt" was refused (no tool): ranked by "transcript" alone, the
transcriber was passed over as told no path, and the writer never ranked ("write" is too common a word to rank by),
while "Save the transcript ..." transcribed and wrote. The storing verb's tool told a path writes it, the thing made
first."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said, output_of


@pytest.mark.parametrize(
    ("task", "maker", "given", "path"),
    [
        ("Write the transcript of talk.mp3 to out.txt", "transcribe_audio", {"audio": "talk.mp3"}, "out.txt"),
        ("Write the transcription of talk.wav into out.txt", "transcribe_audio", {"audio": "talk.wav"}, "out.txt"),
        ("Write the caption of photo.jpg to cap.txt", "caption_image", {"image": "photo.jpg"}, "cap.txt"),
    ],
)
async def test_a_thing_made_of_media_written_to_a_file(
    task: str, maker: str, given: dict[str, object], path: str
) -> None:
    calls, asked, _ = await calls_asked_and_said(task, MEDIA)
    made = calls[0]
    assert made == (maker, given), calls
    step = "transcribe" if maker == "transcribe_audio" else "caption"
    assert calls[1:] == [("write_file", {"path": path, "content": output_of(step, "text")})], calls
    assert not asked, asked
