"""attack168: "Delete notes.txt, but before that summarize it" deleted notes.txt, then read it for the summary ("before"
joined "Delete notes.txt but" to "that summarize it"); plan160 ordered "but first" only. "Before that", "before doing
so" put the work after them first, as "first" does. "Delete notes.txt, but first copy it to backup.txt" asked for the
text to copy and deleted notes.txt: the "it" of work put first is what the clause after it names, when it comes
before any file the work names itself."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


@pytest.mark.parametrize(
    "task",
    [
        "Delete notes.txt, but before that summarize it",
        "Delete notes.txt; before doing so, summarize it",
        "Delete notes.txt, and before that summarize it",
    ],
)
async def test_work_said_before_that_comes_first(task: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert [tool for tool, _ in calls] == ["read_file", "summarize_text", "delete_file"], calls
    assert ("read_file", {"path": "notes.txt"}) in calls and ("delete_file", {"path": "notes.txt"}) in calls
    assert not missing


@pytest.mark.parametrize(
    "task",
    [
        "Delete notes.txt, but first copy it to backup.txt",  # copied a text asked for, then deleted notes.txt
        "Before you delete notes.txt, copy it to backup.txt",
        "Delete notes.txt, but before that copy it to backup.txt",
    ],
)
async def test_a_copy_said_first_copies_the_file_deleted_after_it(task: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert calls == [
        ("read_file", {"path": "notes.txt"}),
        ("write_file", {"path": "backup.txt", "content": "${read.output.content}"}),
        ("delete_file", {"path": "notes.txt"}),
    ], calls
    assert not missing
