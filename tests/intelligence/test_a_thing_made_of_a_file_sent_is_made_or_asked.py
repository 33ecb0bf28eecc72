"""plan204: a send of a thing made of a file. "Post the transcript of talk.mp3 to URL" asked the body though a
transcriber was there: only text files were read in front of a send; the work its noun names on a sound or a picture
is now done in front of it. "Email the summary of notes.txt to bob@x.test" (third_party: send_email, no summarizer)
e-mailed notes.txt whole: the reader put in front ("... (added: email takes report, summary, text)") was read as
making the summary; "Save the caption of photo.jpg to cap.txt" wrote photo.jpg read as text (only "write" was a
storing verb). Keywords, key points, a headline of a file are things made of it: asked, never the whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said, output_of

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"
URL = "https://x.test/hook"


@pytest.mark.parametrize(
    ("task", "maker", "node"),
    [
        (f"Post the transcript of talk.mp3 to {URL}", "transcribe_audio", "transcribe"),
        (f"Post the caption of photo.jpg to {URL}", "caption_image", "caption"),
        (f"Post the summary of the transcript of talk.mp3 to {URL}", "summarize_text", "summarize"),
    ],
)
async def test_a_thing_made_of_a_sound_or_picture_is_made_then_sent(task: str, maker: str, node: str) -> None:
    calls, asked, _ = await calls_asked_and_said(task, MEDIA)
    assert maker in [tool for tool, _ in calls], calls
    assert calls[-1] == ("http_request", {"url": URL, "method": "POST", "body": output_of(node, "text")}), calls
    assert not asked, asked


@pytest.mark.parametrize(
    ("task", "catalogue", "body"),
    [
        ("Email the summary of notes.txt to bob@x.test", THIRD_PARTY, "send_email_body"),
        ("Email bob@x.test the translation of notes.txt", THIRD_PARTY, "send_email_body"),
        (f"Post the keywords of notes.txt to {URL}", MEDIA, "http_request_body"),
        (f"Post the key points of notes.txt to {URL}", MEDIA, "http_request_body"),
        (f"Post the headline of notes.txt to {URL}", THIRD_PARTY, "http_request_body"),
        ("Write the main points of notes.txt to out.txt", MEDIA, "write_file_content"),
        ("Save the caption of photo.jpg to cap.txt", THIRD_PARTY, "write_file_content"),  # photo.jpg was written
    ],
)
async def test_a_thing_made_of_a_file_no_step_makes_is_asked(task: str, catalogue: Path, body: str) -> None:
    calls, asked, notes = await calls_asked_and_said(task, catalogue)
    assert body in asked, (calls, asked)
    assert not any("${read" in str(args) for _, args in calls), calls  # the file is never sent whole
    assert any("which no tool here makes" in note for note in notes), notes
