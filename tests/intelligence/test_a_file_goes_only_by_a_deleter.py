"""A delete is a delete (fix173). With the media tools, "Transcribe talk.wav, then delete the audio", "Read a.txt and
b.txt, then remove each of them" and "... and remove it" were served by denoise_audio, "Read a.txt, then remove the
second sentence" by sentence_similarity, and "Read notes.txt, then delete the notes in it" deleted notes.txt: a file
whole goes only by a tool deleting files, else the step is missing with the reason; a part of one (the notes in it,
a sentence) is not the file (a delete asks which file) and no tool saying no taking away nor editing does it."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


async def _tools_and_missing(task: str) -> tuple[list[str], list[str]]:
    execution = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    return [n.tool for n in execution.plan.nodes] if execution.plan is not None else [], execution.missing


@pytest.mark.parametrize(
    "task",
    [
        "Transcribe talk.wav, then delete the audio",
        "Transcribe talk.wav, then remove the recording",
        "Read a.txt and b.txt, then remove each of them",
        "Open report.txt, then open the document it mentions and remove it",
        "Caption photo.jpg, then erase the picture",
    ],
)
async def test_a_file_deleted_is_never_served_by_a_tool_not_deleting(task: str) -> None:
    tools, missing = await _tools_and_missing(task)
    assert set(tools) <= {"read_file", "transcribe_audio", "summarize_text", "caption_image", "delete_file"}, tools
    # a deleter missing the file's name is missing too ("remove it" of a file not named, as "delete it", plan182)
    said = ("does not delete files", "delete_file takes", "which file it deletes is not said")  # the last: plan181
    assert "delete_file" in tools or any(reason in m for m in missing for reason in said)


@pytest.mark.parametrize(
    "task",
    [
        "Read a.txt, then remove the second sentence",
        "Read a.txt, then delete the last paragraph",
        "Read notes.txt, then delete the notes in it",
        "Read notes.txt, then delete the first line of it",
    ],
)
async def test_a_part_taken_away_is_no_file_deleted_nor_other_work(task: str) -> None:
    execution = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    assert execution.plan is not None
    calls = [(n.tool, n.args) for n in execution.plan.nodes]
    # read, and at most a delete asking which file: the file read is no part of it
    assert calls[0][0] == "read_file", calls
    assert all(tool == "delete_file" and "${inputs." in str(args["path"]) for tool, args in calls[1:]), calls
    assert execution.missing or execution.missing_inputs


@pytest.mark.parametrize(
    ("task", "tool"),
    [
        ("Remove the noise from a.wav", "denoise_audio"),
        ("Remove the background from photo.jpg", "edit_image"),
        ("Read a.txt, then delete it", "delete_file"),
        ("Read a.txt and b.txt, then delete them", "delete_file"),
        ("Delete the notes notes.txt", "delete_file"),
    ],
)
async def test_what_takes_away_is_still_chosen(task: str, tool: str) -> None:
    tools, missing = await _tools_and_missing(task)
    assert tool in tools and not missing, (tools, missing)


async def test_nothing_is_converted_to_feed_a_clause_of_taking_away() -> None:
    # the text was read aloud to feed a denoiser, "remove" its stray word: sent to two services nobody asked for
    tools, _ = await _tools_and_missing("Read notes.txt, then remove the notes from it")
    assert "read_aloud" not in tools, tools
