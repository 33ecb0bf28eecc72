"""plan204: what a clause naming no file takes away is read against the data named before it. "Transcribe talk.wav,
then remove the audio" deleted talk.wav with the built-ins alone, and with a denoiser ranked first asked the delete
(the denoiser refused); "Caption photo.jpg. Remove the background." denoised an audio asked for, the "background"
being a picture's, not a sound no one named. The audio named goes whole either way; a part of the picture named
by no word of it is missing, as "Remove the car." is (an editor was told the caption as its instruction)."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans, calls_asked_and_said


@pytest.mark.parametrize("catalogues", [(), (MEDIA,)])
@pytest.mark.parametrize(
    "task", ["Transcribe talk.wav, then remove the audio", "Transcribe talk.wav, then delete the recording"]
)
async def test_the_audio_named_goes_whole_whatever_the_catalogue(task: str, catalogues: tuple[Path, ...]) -> None:
    calls, asked, _ = await calls_asked_and_said(task, *catalogues)
    # with the built-ins alone no tool transcribes: what the step would make is unknown, so which audio goes is
    # asked (plan214), never a denoise
    gone = ("delete_file", {"path": "talk.wav"}) in calls
    assert gone if catalogues else "delete_file_path" in asked, (calls, asked)
    assert not any(tool == "denoise_audio" for tool, _ in calls), calls


@pytest.mark.parametrize(
    "task",
    [
        "Caption photo.jpg. Remove the background.",
        "Caption photo.jpg, then remove the background",
        "Caption photo.jpg. Remove the car.",
    ],
)
async def test_a_part_of_the_picture_named_is_no_sound_and_is_asked(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    nodes = result.execution.plan.nodes if result.execution.plan is not None else []
    assert [n.tool for n in nodes] == ["caption_image"], nodes
    assert any("No suitable tool" in m for m in result.execution.missing), result.execution.missing


async def test_a_part_said_of_the_picture_is_an_edit_in_its_words() -> None:
    calls, asked, _ = await calls_asked_and_said("Caption photo.jpg, then remove the background of the photo", MEDIA)
    assert calls[-1] == ("edit_image", {"image": "photo.jpg", "instruction": "remove the background of the photo"})
    assert not asked, asked


async def test_a_part_of_the_sound_named_is_still_denoised() -> None:
    calls, _, _ = await calls_asked_and_said("Transcribe talk.wav, then remove the noise", MEDIA)
    assert ("denoise_audio", {"audio": "talk.wav"}) in calls, calls
