"""A sink storing "it" right after a step that made a picture, a sound or a film stores that, or is missing where no
tool stores it; it never reaches back to an older text: "Caption photo.jpg, then read it aloud and save it to out.wav"
wrote the caption's text into out.wav (write_file takes text, the speech is a sound). What a noun names is still
stored ("... and save the caption to cap.txt"), and a text made last is stored as before."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans, calls_asked_and_said


@pytest.mark.parametrize(
    "task",
    [
        "Caption photo.jpg, then read it aloud and save it to out.wav",
        "Summarize notes.txt, then read it aloud and save it to out.wav",
        "Summarize notes.txt and then read it aloud, finally write the result to out.mp3",
        "Transcribe talk.wav, then turn it into a picture and save it to pic.png",
    ],
)
async def test_a_medium_made_last_is_never_stored_as_an_older_text(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    plan = result.execution.plan
    writes = [n.args for n in plan.nodes if n.tool == "write_file"] if plan is not None else []
    assert writes == [], writes
    assert any("write_file takes" in m for m in result.execution.missing), result.execution.missing


@pytest.mark.parametrize(
    ("task", "content"),
    [
        ("Caption photo.jpg, then read it aloud and save the caption to cap.txt", "${caption.output.text}"),
        ("Caption photo.jpg and save it to cap.txt", "${caption.output.text}"),
    ],
)
async def test_a_text_named_or_made_last_is_stored(task: str, content: str) -> None:
    calls, asked, _ = await calls_asked_and_said(task, MEDIA)
    assert calls[-1][0] == "write_file" and calls[-1][1].get("content") == content, calls
    assert not asked, asked
