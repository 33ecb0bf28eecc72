"""issue 11: "Enhance speech.wav, then transcribe it" with no tool enhancing transcribed speech.wav, the raw
recording, as if the enhancement had been done: the step was reported missing, but the step after it worked on the
data as it was before. A verb that changes the picture, sound or film it names in place makes that kind: "it"
after it is its result, which a missing step does not make, so the step after it asks for its data. Work on other
data is still done as said."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said

DENOISED = "${{{0}.output.json.audio || {0}.output.text}}"


@pytest.mark.parametrize(
    ("task", "tool", "takes"),
    [
        ("Enhance speech.wav, then transcribe it", "transcribe_audio", "audio"),
        ("Clean up speech.wav and transcribe the result", "transcribe_audio", "audio"),
        ("Sharpen photo.jpg, then caption it", "caption_image", "image"),
        ("Crop photo.jpg, then caption it", "caption_image", "image"),
        ("Brighten old.jpg and then detect the objects in it", "detect_objects", "image"),
    ],
)
async def test_the_step_after_a_missing_change_asks_for_its_data(task: str, tool: str, takes: str) -> None:
    calls, inputs, _ = await calls_asked_and_said(task, MEDIA)
    assert calls == [(tool, {takes: f"${{inputs.{tool}_{takes}}}"})], calls
    assert inputs == [f"{tool}_{takes}"], inputs


@pytest.mark.parametrize(
    ("task", "call"),
    [
        ("Enhance speech.wav and caption photo.jpg", ("caption_image", {"image": "photo.jpg"})),
        ("Denoise speech.wav, then transcribe it", ("transcribe_audio", {"audio": DENOISED.format("denoise")})),
        (
            "Improve the quality of speech.wav. Then transcribe it",
            ("transcribe_audio", {"audio": DENOISED.format("improve")}),
        ),
    ],
)
async def test_other_data_and_a_change_done_are_as_said(task: str, call: tuple[str, dict[str, object]]) -> None:
    calls, inputs, _ = await calls_asked_and_said(task, MEDIA)
    assert calls[-1] == call, calls
    assert not inputs, inputs
