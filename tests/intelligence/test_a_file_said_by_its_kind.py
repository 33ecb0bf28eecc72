"""A delete saying its file by a noun of its kind or name ("delete the photo", "the notes", "the document") deletes
the one file named before that the noun says, and asks where that is not one (attack164): "Write 'hi' to a.txt, then
caption photo.jpg and delete the photo" deleted a.txt, and "Summarize notes.txt and save the summary to s.txt, then
delete the notes" s.txt, the file the write before gave: the newest file written, whatever the noun said."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


async def _deleted(task: str) -> tuple[list[object], list[str]]:
    """The paths the plan's deletes are given (media tools and the built-ins as the CLI has them), and the inputs it
    asks for."""
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    nodes = result.execution.plan.nodes if result.execution.plan is not None else []
    return [n.args.get("path") for n in nodes if n.tool == "delete_file"], result.execution.missing_inputs


@pytest.mark.parametrize(
    ("task", "gone"),
    [
        ('Write "hi" to a.txt, then caption photo.jpg and delete the photo', "photo.jpg"),
        ("Caption photo.jpg and save the caption to c.txt, then delete the photo", "photo.jpg"),
        ("Summarize notes.txt and save the summary to s.txt, then delete the notes", "notes.txt"),
        ("Caption photo.jpg, then delete the photo", "photo.jpg"),  # as before
        ("Read notes.txt, then delete the document", "notes.txt"),
        ("Transcribe talk.wav, then caption a.jpg and delete this photo", "a.jpg"),
    ],
)
async def test_a_noun_of_one_file_named_deletes_that_file(task: str, gone: str) -> None:
    paths, asked = await _deleted(task)
    assert paths == [gone] and not asked, (paths, asked)


@pytest.mark.parametrize(
    "task",
    [
        "Summarize notes.txt and save the summary to s.txt, then delete the document",  # the notes or the summary
        "Caption a.jpg and b.jpg, then delete the photo",
        "Read report.txt, then delete the notes",  # no file named so
    ],
)
async def test_a_noun_of_no_one_file_named_asks_which(task: str) -> None:
    paths, asked = await _deleted(task)
    assert paths == ["${inputs.delete_file_path}"] and asked == ["delete_file_path"], (paths, asked)
