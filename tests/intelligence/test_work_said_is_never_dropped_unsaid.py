"""attack273 (issue 11): work the user asked vanished without a note. "Write 'x' to a.txt and then 'y' to b.txt"
wrote a.txt alone; "Summarize a.txt, never mind the typos, and delete b.txt" dropped the delete ("never mind the
typos" read as a refusal of all after it); "Read a.txt, dann lösche b.txt" read b.txt and said nothing of the delete.
What is not planned is said; a thing paid no heed is no refusal; and "never mind that" after a comma takes back."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


@pytest.mark.parametrize(
    ("task", "left"),
    [
        ("Write 'x' to a.txt. Then 'y' to b.txt.", "b.txt"),
        ("Write 'x' to a.txt. And 'y' to b.txt.", "b.txt"),
    ],
)
async def test_data_no_step_works_on_is_said(task: str, left: str) -> None:
    _, _, said = await calls_asked_and_said(task)
    assert any(left in s and "no step works on" in s for s in said), said


@pytest.mark.parametrize("task", ["Write 'x' to a.txt and then 'y' to b.txt", "Write 'x' to a.txt, then 'y' to b.txt"])
async def test_a_pair_after_then_is_written_too(task: str) -> None:
    calls, asked, _ = await calls_asked_and_said(task)
    assert calls == [
        ("write_file", {"path": "a.txt", "content": "x"}),
        ("write_file", {"path": "b.txt", "content": "y"}),
    ], calls
    assert not asked, asked


@pytest.mark.parametrize(
    "task",
    [
        "Summarize a.txt, never mind the typos, and delete b.txt",
        "Never mind the typos, read a.txt and delete b.txt",
        "Read a.txt, don't worry about the formatting, and delete b.txt",
    ],
)
async def test_a_thing_paid_no_heed_refuses_no_work(task: str) -> None:
    calls, _, _ = await calls_asked_and_said(task, MEDIA)
    assert ("delete_file", {"path": "b.txt"}) in calls, calls
    assert ("read_file", {"path": "a.txt"}) in calls, calls


@pytest.mark.parametrize(
    "task", ["Delete a.txt, never mind that", "Delete a.txt; never mind it", "Delete a.txt, strike that"]
)
async def test_never_mind_that_after_a_comma_takes_back(task: str) -> None:
    calls, asked, _ = await calls_asked_and_said(task)
    assert calls == [("delete_file", {"path": "${inputs.delete_file_path}"})] and asked == ["delete_file_path"], calls


@pytest.mark.parametrize(
    ("task", "word"),
    [
        ("Read a.txt, dann lösche b.txt", "lösche"),
        ("Read a.txt y borra b.txt", "borra"),
        ("Read a.txt et supprime b.txt", "supprime"),
        ("Read a.txt, then envoie it to bob@example.com", "envoie"),
    ],
)
async def test_a_change_said_in_another_language_is_said_not_understood(task: str, word: str) -> None:
    calls, _, said = await calls_asked_and_said(task)
    assert not [c for c in calls if c[0] == "delete_file"], calls
    assert any(repr(word) in s and "language other than English" in s for s in said), said


async def test_all_said_and_planned_has_no_such_note() -> None:
    _, _, said = await calls_asked_and_said("Write 'x' to a.txt, and 'y' to b.txt")
    assert not [s for s in said if "no step works on" in s], said
