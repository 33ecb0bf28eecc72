"""'or' read where the user wrote it (attack147): a change offered on one thing or another ("Delete a.txt, b.txt or
c.txt", "Copy notes.txt to a.txt or b.txt") was made to each, unasked; an "or" inside a quote ("Write 'read or
delete' to a.txt") was read as a choice of work and the write asked for."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


@pytest.mark.parametrize(
    "task",
    [
        "Delete a.txt, b.txt or c.txt",
        "Delete a.txt and/or b.txt",
        "Write 'hi' to a.txt or b.txt",
        "Copy notes.txt to a.txt or b.txt",
    ],
)
async def test_a_change_to_one_thing_or_another_is_asked(task: str) -> None:
    calls, missing, notes = await calls_asked_and_said(task, MEDIA)
    changes = [args for tool, args in calls if tool in {"delete_file", "write_file"}]
    assert changes and all(str(args["path"]).startswith("${inputs.") for args in changes), calls
    assert missing and any("offered as a choice" in n for n in notes), notes


@pytest.mark.parametrize(
    ("task", "calls_made"),
    [
        ("Write 'read or delete' to a.txt", [("write_file", {"path": "a.txt", "content": "read or delete"})]),
        ("Delete a.txt and b.txt", [("delete_file", {"path": "a.txt"}), ("delete_file", {"path": "b.txt"})]),
        ("Delete or.txt", [("delete_file", {"path": "or.txt"})]),
    ],
)
async def test_an_or_the_user_gave_is_no_choice(task: str, calls_made: list[tuple[str, dict[str, object]]]) -> None:
    calls, missing, notes = await calls_asked_and_said(task, MEDIA)
    assert calls == calls_made and not missing, (calls, notes)
    assert not any("choice" in n for n in notes), notes


async def test_reading_one_or_another_still_reads_each() -> None:
    calls, missing, _ = await calls_asked_and_said("Summarize a.txt or b.txt", MEDIA)
    assert [t for t, _ in calls].count("summarize_text") == 2 and not missing
