"""Tool choice by a stray word (plan104): "Remove the password from config.txt" deleted config.txt (or edited it
as an image), "Remove the backup of photo.jpg" deleted the photo (or denoised it as a sound), "Strip the comments
from main.py" classified its sentiment, "Which of the two images a.jpg and b.jpg is brighter?" detected objects in
each. A tool taking an image or a sound none of the files named is, a file deleter for a part of a file, a text
tool saying no taking away for a part of a text: none is chosen; the step is missing, with the nearest tools."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans

MEDIA_TOOLS = {"edit_image", "denoise_audio", "detect_objects", "caption_image", "transcribe_audio"}


@pytest.mark.parametrize(
    "task",
    [
        "Remove the password from config.txt",
        "Remove the backup of photo.jpg",
        "Strip the comments from main.py",
        "Remove the comments from settings.yaml",
        "Delete the first line of notes.txt",
    ],
)
async def test_no_tool_by_a_stray_word(task: str) -> None:
    execution = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    nodes = execution.plan.nodes if execution.plan is not None else []
    assert not [n.tool for n in nodes if n.tool in MEDIA_TOOLS | {"delete_file", "classify_sentiment"}]
    assert execution.missing


@pytest.mark.parametrize(
    ("task", "tool"),
    [
        ("Remove the noise from a.wav", "denoise_audio"),
        ("Remove the background from photo.jpg", "edit_image"),
        ("Delete notes.txt", "delete_file"),
        ("Remove notes.txt", "delete_file"),
        ("Delete the file notes.txt", "delete_file"),
    ],
)
async def test_the_work_on_the_kind_named_is_still_done(task: str, tool: str) -> None:
    execution = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    assert execution.plan is not None and not execution.missing
    assert [n.tool for n in execution.plan.nodes] == [tool]


@pytest.mark.parametrize(
    "task",
    ["Which of the two images a.jpg and b.jpg is brighter?", "Which image is brighter, a.jpg or b.jpg?"],
)
async def test_which_of_two_images_is_answered_not_edited(task: str) -> None:
    execution = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    nodes = execution.plan.nodes if execution.plan is not None else []
    assert not [n for n in nodes if n.tool in {"edit_image", "detect_objects"}]
    assert [n.tool for n in nodes][-1:] in (["answer_question"], []), [n.tool for n in nodes]
