"""Verbs of a request are done to what they name or said to be left (plan141): "Copy notes.txt and delete it"
deleted the copy just made ("it" read as the write's result); "Summarize or delete notes.txt" and "Summarize and/or
delete notes.txt" dropped the delete unsaid, and "Delete or summarize notes.txt" deleted (a choice, now asked)."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


async def test_it_after_a_copy_is_the_file_copied() -> None:
    calls, _, _ = await calls_asked_and_said("Copy notes.txt and delete it", MEDIA)
    assert calls[-1] == ("delete_file", {"path": "notes.txt"})


@pytest.mark.parametrize(
    "task",
    [
        "Copy notes.txt to b.txt and delete it",
        "Read notes.txt, write it to b.txt and delete it",
        "Summarize notes.txt, save it to s.txt and delete it",
    ],
)
async def test_it_after_a_copy_to_a_file_named_is_asked(task: str) -> None:
    # the file copied or the copy (plan159): deleting the first was a move nobody asked for
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert calls[-1] == ("delete_file", {"path": "${inputs.delete_file_path}"}) and missing == ["delete_file_path"]


async def test_it_after_a_write_of_made_content_is_what_was_written() -> None:
    task = "Write 'hi' to a.txt and delete it"
    calls, _, _ = await calls_asked_and_said(task, MEDIA)
    assert calls[-1][0] == "delete_file" and str(calls[-1][1]["path"]).endswith(".output.path}")


@pytest.mark.parametrize("task", ["Summarize or delete notes.txt", "Summarize and/or delete notes.txt"])
async def test_a_work_offered_as_a_choice_is_said(task: str) -> None:
    calls, _, said = await calls_asked_and_said(task, MEDIA)
    assert [c[0] for c in calls] == ["read_file", "summarize_text"]
    assert any("offers a choice" in s and "delete" in s for s in said), said


async def test_a_change_offered_as_a_choice_is_asked() -> None:
    calls, missing, said = await calls_asked_and_said("Delete or summarize notes.txt", MEDIA)
    assert calls == [("delete_file", {"path": "${inputs.delete_file_path}"})]
    assert missing == ["delete_file_path"]
    assert any("offers a choice" in s for s in said), said


@pytest.mark.parametrize("task", ["Translate 'hi' to French or German", "Summarize notes.txt in 3 or fewer sentences"])
async def test_or_between_no_verbs_is_no_choice_of_work(task: str) -> None:
    _, missing, said = await calls_asked_and_said(task, MEDIA)
    assert not missing and not [s for s in said if "offers a choice" in s]
