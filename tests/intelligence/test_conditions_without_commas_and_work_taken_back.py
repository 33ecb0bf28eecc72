"""fix152: conditions and take-backs attack140 left.

- A condition said without a comma ("If notes.txt is empty delete it") made no plan at all, and after "and" ("...
  and if it mentions 'x' delete it") the quote went into the summary and the delete was dropped without a word.
- "otherwise delete it" / "or else delete it" hangs on something the request never says: the delete was dropped.
- "after the tests pass", ", but not before the tests pass": the delete waits for something no step checks, and it
  ran straight away. "after summarizing it", "after the summary is generated" are still orders.
- A later sentence taking the work back ("No wait, summarize it instead", "Scratch that", "Just kidding, don't"):
  the delete still ran. A take-back that names the file to keep still spares only that file.
"""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


@pytest.mark.parametrize(
    "task",
    [
        "If notes.txt is empty delete it",
        "If the tests pass delete notes.txt",
        "Summarize a.txt and if it mentions 'x' delete notes.txt",
        "Summarize a.txt; otherwise delete notes.txt",
        "Summarize a.txt or else delete notes.txt",
        "If a.txt is empty, summarize b.txt; otherwise delete notes.txt",
        "Delete notes.txt after the tests pass",
        "Delete notes.txt, but not before the tests pass",
        "Delete notes.txt. Just kidding, don't.",
        "Delete notes.txt. Never mind.",
    ],
)
async def test_a_delete_under_an_unchecked_condition_or_taken_back_is_asked(task: str) -> None:
    calls, missing, notes = await calls_asked_and_said(task, MEDIA)
    assert "delete_file_path" in missing, calls
    assert not any(tool == "delete_file" and args.get("path") == "notes.txt" for tool, args in calls), calls
    assert any("condition" in note for note in notes), notes


async def test_the_quote_of_a_condition_is_no_text_to_summarize() -> None:
    calls, _, _ = await calls_asked_and_said("Summarize a.txt and if it mentions 'x' delete notes.txt", MEDIA)
    assert [args for tool, args in calls if tool == "summarize_text"] == [{"text": "${read.output.content}"}]


@pytest.mark.parametrize(
    ("task", "call"),
    [
        # orders and data, not conditions
        ("Delete notes.txt after summarizing it", ("delete_file", {"path": "notes.txt"})),
        ("Delete notes.txt after the summary is generated", ("delete_file", {"path": "notes.txt"})),
        ("Delete notes.txt after that", ("delete_file", {"path": "notes.txt"})),
        ("Delete nothing else than notes.txt", ("delete_file", {"path": "notes.txt"})),
        ("Summarize a.txt instead of deleting it. Delete notes.txt", ("delete_file", {"path": "notes.txt"})),
        # a take-back naming what it keeps spares that, the rest goes on
        ("Delete a.txt and notes.txt. On second thought, don't delete notes.txt.", ("delete_file", {"path": "a.txt"})),
        ("Delete a.txt and notes.txt. No wait, keep notes.txt.", ("delete_file", {"path": "a.txt"})),
    ],
)
async def test_an_order_or_a_named_keep_is_no_condition(task: str, call: object) -> None:
    calls, missing, notes = await calls_asked_and_said(task, MEDIA)
    assert call in calls and "delete_file_path" not in missing, (calls, missing)
    assert not any("condition" in note for note in notes), notes


@pytest.mark.parametrize(
    "task",
    ["Delete every file. Actually, keep notes.txt.", "Delete all the files. No wait, keep notes.txt."],
)
async def test_a_file_kept_is_not_the_only_file_a_delete_of_everything_is_given(task: str) -> None:
    # before: the kept file, the only one named, went to the delete's argument: notes.txt deleted, "does not
    # delete notes.txt" said beside it
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert ("delete_file", {"path": "notes.txt"}) not in calls and "delete_file_path" in missing, calls
