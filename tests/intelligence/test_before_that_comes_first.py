"""attack168: "Delete notes.txt, but before that summarize it" deleted notes.txt, then read it for the summary ("before"
joined "Delete notes.txt but" to "that summarize it"); plan160 ordered "but first" only. "Before that", "before doing
so" put the work after them first, as "first" does."""

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
