"""plan334: a label opening a sentence that only informs ("Note: the file is large. Summarize a.txt") was read as a
verb: "Note the file is large" became a step no tool serves (a missing step), or a summary of nothing. What a note
tells is context; work a note says ("Note: delete b.txt") is asked for, not done unasked. A sentence opening with
the verb itself ("Note the size of a.txt") and other lead-ins ("Task: ...") stay as they were."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


@pytest.mark.parametrize(
    "task",
    [
        "Note: the file is large. Summarize a.txt",
        "NOTE: a.txt is long. Summarize a.txt",
        "NB: the file is large. Summarize a.txt",
        "FYI: the file is large. Summarize a.txt",
        "PS: the file is large. Summarize a.txt",
        "Warning: the script deletes b.txt. Summarize a.txt",
        "Background: I am writing a report. Summarize a.txt",
        "Context: a.txt is from my manager. Summarize a.txt",
        "Heads up: it is big. Summarize a.txt",
        "Tip: it is in English. Summarize a.txt",
        "Summarize a.txt. Note: the file is large.",
        "Note - the file is large. Summarize a.txt",
    ],
)
async def test_a_note_tells_and_the_work_is_planned(task: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert [tool for tool, _ in calls] == ["read_file", "summarize_text"] and not missing, (calls, missing)


@pytest.mark.parametrize("task", ["Note: delete b.txt. Summarize a.txt", "FYI: delete b.txt"])
async def test_a_change_a_note_says_is_asked(task: str) -> None:
    calls, missing, notes = await calls_asked_and_said(task, MEDIA)
    assert ("delete_file", {"path": "b.txt"}) not in calls and "delete_file_path" in missing, (calls, missing)
    assert any("said in a note" in n for n in notes), notes


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        ("Summarize a.txt", ["read_file", "summarize_text"]),
        ("Task: summarize a.txt", ["read_file", "summarize_text"]),
        ("Todo: summarize a.txt", ["read_file", "summarize_text"]),
        ("Please: summarize a.txt", ["read_file", "summarize_text"]),
        ("Notes: summarize a.txt", ["read_file", "summarize_text"]),
        ("Delete b.txt", ["delete_file"]),
        ("Task: delete b.txt", ["delete_file"]),
        ("Translate a.txt into French", ["read_file", "translate_text"]),
        ("Summarize notes.txt", ["read_file", "summarize_text"]),
        ("The tip of a.txt is long. Summarize a.txt", ["read_file", "summarize_text"]),
    ],
)
async def test_other_lead_ins_stay(task: str, tools: list[str]) -> None:
    calls, _, _ = await calls_asked_and_said(task, MEDIA)
    assert [tool for tool, _ in calls] == tools, calls
