"""A file the user names beside another, both the verb's objects, is never made the other's instruction (fix120):
"Edit a.jpg and notes.txt" read notes.txt and edited a.jpg with its content as the instruction, unsaid."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


@pytest.mark.parametrize(
    "task",
    ["Edit a.jpg and notes.txt", "Change a.jpg and notes.txt", "Edit notes.txt and a.jpg", "Edit a.jpg, notes.txt"],
)
async def test_two_files_edited_are_not_one_the_others_instruction(task: str) -> None:
    calls, missing, said = await calls_asked_and_said(task, MEDIA)
    assert [tool for tool, _ in calls] == ["edit_image"], calls
    assert calls[0][1]["image"] == "a.jpg", calls
    assert missing == ["edit_image_instruction"], (calls, missing)
    assert any("'notes.txt'" in s and "no call" in s for s in said), said


@pytest.mark.parametrize(
    "task", ["Edit a.jpg using the instructions in notes.txt", "Edit a.jpg with the instructions from notes.txt"]
)
async def test_a_file_the_sentence_makes_the_instruction_is_read_for_it(task: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert [tool for tool, _ in calls] == ["read_file", "edit_image"], calls
    assert calls[1][1]["instruction"] == "${read.output.content}", calls
    assert missing == [], missing


@pytest.mark.parametrize("task", ["Caption photo.jpg and remove it", "Caption photo.jpg. Remove this car."])
async def test_a_result_pointed_at_is_not_turned_into_a_kind_nobody_named(task: str) -> None:
    """The caption was read aloud and the speech denoised: two services nobody asked for."""
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    tools = [tool for tool, _ in calls]
    assert tools[0] == "caption_image" and "read_aloud" not in tools, calls
    assert all(not str(args).count("caption.output") for _, args in calls[1:]), calls
    # "remove it" deletes photo.jpg, as "delete it" does (plan182): no work on the caption
    assert set(tools[1:]) <= {"delete_file"} or missing, (calls, missing)


async def test_a_kind_named_is_still_made_for_the_step() -> None:
    calls, missing, _ = await calls_asked_and_said("Caption photo.jpg and read it aloud", MEDIA)
    assert [tool for tool, _ in calls] == ["caption_image", "read_aloud"], calls
    assert missing == [], missing


@pytest.mark.parametrize(
    "task",
    [
        "Download https://x.example/p, then grep it for 'x' and save it to out.txt",
        "Fetch https://x.example/p and summarize it and save it to out.txt",
    ],
)
async def test_it_stored_is_the_newest_result_only(task: str) -> None:
    """The page was written beside the grep's output (the page's JSON fed the sink as a kind of its own)."""
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    (write,) = [args for tool, args in calls if tool == "write_file"]
    assert write["content"] in ("${run.output.stdout}", "${summarize.output.text}"), write
    assert missing == [], missing


async def test_them_stored_are_every_result() -> None:
    calls, _, _ = await calls_asked_and_said("Caption photo.jpg and read it aloud, then save them to out.json", MEDIA)
    (write,) = [args for tool, args in calls if tool == "write_file"]
    assert isinstance(write["json"], list) and len(write["json"]) == 2, write
